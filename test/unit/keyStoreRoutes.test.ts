// The hook's fallback sends the KeyStore's selectors straight to the KeyStore's code and every other
// one to FunctorPolicyConfig's (FunctorPolicyHookBase.KEYSTORE_ROUTES): a selector on the wrong side
// would revert (a configuration function sent to the KeyStore's code), or take a second DELEGATECALL
// and a second cold contract (a KeyStore function sent to the configuration code). Checked here on
// every function of the two compiled contracts, with the constants read from the source.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Abi, toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const source = readFileSync(path.join(root, 'contracts/src/FunctorPolicyHookBase.sol'), 'utf8');
const constant = (name: string) => {
  const m = source.match(new RegExp(`${name} = (0x[0-9a-f]+|\\d+);`));
  if (!m) throw new Error(`${name} not found in FunctorPolicyHookBase.sol`);
  return BigInt(m[1]!);
};
const MUL = constant('KEYSTORE_ROUTE_MUL');
const ROUTES = constant('KEYSTORE_ROUTES');
/** FunctorPolicyHookBase._isKeyStoreSelector, in TypeScript. */
const routedToKeyStore = (selector: string) => ((ROUTES >> (((BigInt(selector) * MUL) & 0xffffffffn) >> 24n)) & 1n) === 1n;

const functions = (contract: string) =>
  (JSON.parse(readFileSync(path.join(root, 'contracts/out', `${contract}.sol`, `${contract}.json`), 'utf8')).abi as Abi)
    .filter((x) => x.type === 'function')
    .map((f) => ({ name: f.name, selector: toFunctionSelector(f) }));

describe("the hook's fallback routes", () => {
  // revoke and readStoreSlot run in the hook's own code, before the route is asked
  const inHook = new Set(['revoke', 'readStoreSlot']);

  it("sends every KeyStore function to the KeyStore's code", () => {
    const missed = functions('KeyStore').filter((f) => !inHook.has(f.name) && !routedToKeyStore(f.selector));
    expect(missed).toEqual([]);
  });

  it('sends every FunctorPolicyConfig function to the configuration code', () => {
    const misrouted = functions('FunctorPolicyConfig').filter((f) => routedToKeyStore(f.selector));
    expect(misrouted).toEqual([]);
  });

  it('is a real test: a selector with its bit cleared would be missed', () => {
    const register = functions('KeyStore').find((f) => f.name === 'register')!;
    expect(routedToKeyStore(register.selector)).toBe(true);
    const bit = ((BigInt(register.selector) * MUL) & 0xffffffffn) >> 24n;
    expect(((ROUTES & ~(1n << bit)) >> bit) & 1n).toBe(0n);
  });
});
