// lib/abi/generated.ts, deployment.ts and bytecode.ts must be what scripts/gen-abi.mjs makes from the current
// forge build: an ABI or an address is never edited by hand nor left behind a contract change.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { generateAbiSource, generateBytecodeSource, generateDeploymentSource } from '../../scripts/gen-abi.mjs';
import { FUNCTOR_BYTECODE } from '../../lib/abi/bytecode.js';
import { FUNCTOR_ADDRESSES } from '../../lib/abi/deployment.js';
import { functorAddresses } from '../../lib/deploy/functor.js';

const root = path.resolve(__dirname, '..', '..');

describe('generated ABIs', () => {
  it('match the compiled contracts (run `npm run gen:abi` after changing them)', () => {
    expect(existsSync(path.join(root, 'contracts/out/KeyStore.sol/KeyStore.json')), 'contracts not built: run `npm run build:contracts`').toBe(true);
    expect(readFileSync(path.join(root, 'lib/abi/generated.ts'), 'utf8')).toBe(generateAbiSource());
  });

  it('the Functor addresses every chain gets match the compiled contracts (run `npm run gen:abi`)', () => {
    expect(readFileSync(path.join(root, 'lib/abi/deployment.ts'), 'utf8')).toBe(generateDeploymentSource());
  });

  it('the bytecode the popup deploys is the compiled one, and lands at those addresses (lib/deploy/functor.ts computes them too)', () => {
    expect(readFileSync(path.join(root, 'lib/abi/bytecode.ts'), 'utf8')).toBe(generateBytecodeSource());
    const { initCodes: _, ...at } = functorAddresses(FUNCTOR_BYTECODE);
    expect(at).toEqual(FUNCTOR_ADDRESSES);
  });
});
