// lib/abi/generated.ts and deployment.ts must be what scripts/gen-abi.mjs makes from the current
// forge build: an ABI or an address is never edited by hand nor left behind a contract change.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { generateAbiSource, generateDeploymentSource } from '../../scripts/gen-abi.mjs';

const root = path.resolve(__dirname, '..', '..');

describe('generated ABIs', () => {
  it('match the compiled contracts (run `npm run gen:abi` after changing them)', () => {
    expect(existsSync(path.join(root, 'contracts/out/KeyStore.sol/KeyStore.json')), 'contracts not built: run `npm run build:contracts`').toBe(true);
    expect(readFileSync(path.join(root, 'lib/abi/generated.ts'), 'utf8')).toBe(generateAbiSource());
  });

  it('the Functor addresses every chain gets match the compiled contracts (run `npm run gen:abi`)', () => {
    expect(readFileSync(path.join(root, 'lib/abi/deployment.ts'), 'utf8')).toBe(generateDeploymentSource());
  });
});
