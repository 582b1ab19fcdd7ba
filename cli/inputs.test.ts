import { getAddress, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { encodeContext, type FunctorPermissionContext } from '../lib/erc7715/response.js';
import { contextFromJson, loadContext } from './inputs.js';
import { UsageError } from './io.js';

const CTX: FunctorPermissionContext = {
  chainId: 31337,
  account: getAddress('0x1111111111111111111111111111111111111111'),
  keyId: 42n,
  validator: getAddress('0x2222222222222222222222222222222222222222'),
  hook: getAddress('0x3333333333333333333333333333333333333333'),
  kind: 'safe',
};
const HEX = encodeContext(CTX);
const OTHER = encodeContext({ ...CTX, keyId: 43n });
const answer = (context: Hex) => ({ chainId: '0x7a69', permission: { type: 'erc20-token-periodic', isAdjustmentAllowed: true, data: {} }, context });

describe('loading the context', () => {
  const files = (map: Record<string, string>) => (p: string) => {
    if (!(p in map)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return map[p]!;
  };

  it('takes a bare hex, a file holding one, an answer element, or the array the dapp got', () => {
    expect(loadContext(HEX).context).toEqual(CTX);
    expect(loadContext('h.txt', undefined, files({ 'h.txt': `${HEX}\n` })).context).toEqual(CTX);
    expect(loadContext('one.json', undefined, files({ 'one.json': JSON.stringify(answer(HEX)) })).hex).toBe(HEX);
    expect(loadContext('all.json', undefined, files({ 'all.json': JSON.stringify([answer(HEX)]) })).hex).toBe(HEX);
    // the earlier draft's answer (viem/experimental): permissionsContext
    expect(contextFromJson({ expiry: 1, grantedPermissions: [], permissionsContext: HEX })).toBe(HEX);
  });

  it('asks for --index when an array holds different grants', () => {
    const both = [answer(HEX), answer(OTHER)];
    expect(() => contextFromJson(both)).toThrow('the file holds 2 grants: pick one with --index');
    expect(contextFromJson(both, 1)).toBe(OTHER);
    expect(() => contextFromJson(both, 2)).toThrow('--index 2: the file holds 2 grant(s)');
    expect(contextFromJson([answer(HEX), answer(HEX)])).toBe(HEX);
    expect(() => contextFromJson([])).toThrow(/empty array/);
  });

  it('refuses what is not a Functor context, saying why', () => {
    expect(() => loadContext('missing.json', undefined, files({}))).toThrow('--context missing.json: no such file, and not a 0x-hex context');
    expect(() => loadContext('bad.json', undefined, files({ 'bad.json': '{nope' }))).toThrow(/neither JSON nor a 0x-hex context/);
    expect(() => loadContext('x.json', undefined, files({ 'x.json': '{"chainId":"0x1"}' }))).toThrow(/no `context` field/);
    expect(() => loadContext('0x1234')).toThrow(/--context: not a Functor permission context/);
    // a dirty high byte in the account word
    const dirty = (HEX.slice(0, 2 + 64 * 2) + 'ff' + HEX.slice(2 + 64 * 2 + 2)) as Hex;
    expect(() => loadContext(dirty)).toThrow(UsageError);
  });
});
