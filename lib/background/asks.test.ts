import { getAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import type { Approval } from './approvals.js';
import { applyLimits, asksOf, migrateLegacyPermissionParams, storeAsks } from './asks.js';
import { memoryStore } from './store.js';

const USDC = '0x0000000000000000000000000000000000000005';
const NOW = 1_795_342_800;
const request = (adjust: boolean) => [
  {
    chainId: toHex(31337),
    to: getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7'),
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: adjust,
      data: { tokenAddress: USDC, periodAmount: toHex(100_000_000n), periodDuration: 86400 },
    },
  },
];
const approval = (adjust: boolean, params?: unknown): Approval => ({
  id: '1',
  origin: 'http://dapp.test',
  kind: 'permissions',
  method: 'wallet_requestExecutionPermissions',
  createdAt: 0,
  state: 'open',
  progress: [],
  params: params ?? storeAsks('wallet_requestExecutionPermissions', request(adjust), { now: NOW, chainFeePerGas: 2_000_000_000n, chainId: 31337 }),
});

describe('a request translated once, stored as data', () => {
  it('keeps the numbers of the time it arrived (the same as shown, the same as granted)', () => {
    const [t] = asksOf(approval(true));
    expect(t!.permission.spend[0]!.limit).toBe(100_000_000n);
    expect(t!.permission.spend[0]!.period).toEqual({ kind: 'fixed', seconds: 86400, start: NOW });
    // The gas caps from the fee stored with the request: 3 x 2 gwei, 1.2M gas an op, 100 ops.
    expect(t!.permission.gas).toEqual({ maxFeePerGas: 6_000_000_000n, maxCostPerOp: 6_000_000_000n * 1_200_000n, maxOps: 100 });
  });

  it('is plain JSON (what storage holds), and reads back to the same asks', () => {
    const a = approval(true);
    const stored = JSON.parse(JSON.stringify(a.params));
    expect(stored).toEqual(a.params);
    const [x, y] = [asksOf(a)[0]!, asksOf({ ...a, params: stored })[0]!];
    expect(y.permission).toEqual(x.permission);
    expect(y.notes).toEqual(x.notes);
  });

  it('writes the notes’ amounts with the tokens known when shown, in base units before', () => {
    const a = approval(true);
    const plain = asksOf(a)[0]!.notes.join(' ');
    const named = asksOf(a, { [USDC.toLowerCase()]: { symbol: 'USDC', decimals: 6 } })[0]!.notes.join(' ');
    expect(plain).toContain(`100000000 base units of ${USDC}`);
    expect(named).toContain('100 USDC');
    expect(named).not.toMatch(/⟦/);
  });

  it('answers from the stored request and the grant only', () => {
    const [t] = asksOf(approval(true));
    const context = { chainId: 31337, account: getAddress(USDC), keyId: 1n, validator: getAddress(USDC), hook: getAddress(USDC), kind: 'kernel' as const };
    const r = t!.respond(context);
    expect(r).toMatchObject({ chainId: toHex(31337), permission: { type: 'erc20-token-periodic' } });
    // The same key on another chain: the answer element names that chain.
    expect(t!.respondOn({ ...context, chainId: 11155111 })).toMatchObject({ chainId: toHex(11155111) });
  });

  it('an approval stored by release 1 (the raw request, the time and fee) migrates to the same asks', async () => {
    const legacy = { now: NOW, chainFeePerGas: '2000000000', request: request(true) };
    const migrated = migrateLegacyPermissionParams({ kind: 'permissions', method: 'wallet_requestExecutionPermissions', params: legacy });
    expect(migrated).toEqual(approval(true).params);
    // Through the approvals store: a version-1 entry holding it reads back migrated.
    const store = memoryStore();
    await store.set('approvals', { '1': { ...approval(true, legacy), state: 'open' } });
    const approvals = createApprovals({ store, openWindow: async () => {} });
    const read = await approvals.get('1');
    expect(read?.params).toEqual(approval(true).params);
  });

  it('refuses stored params that are not a translated request', () => {
    const a = approval(true);
    expect(() => asksOf({ ...a, params: { now: NOW, request: request(true) } })).toThrow();
  });

  it('applies a lower limit, and refuses a raise, a zero, or any change the site did not allow', () => {
    expect(applyLimits(asksOf(approval(true)), [['60000000']])[0]!.permission.spend[0]!.limit).toBe(60_000_000n);
    expect(applyLimits(asksOf(approval(true)), [['100000000']])[0]!.permission.spend[0]!.limit).toBe(100_000_000n);
    expect(() => applyLimits(asksOf(approval(true)), [['100000001']])).toThrow(/only be lowered/);
    expect(() => applyLimits(asksOf(approval(true)), [['0']])).toThrow(/0/);
    expect(() => applyLimits(asksOf(approval(false)), [['1']])).toThrow(/does not allow/);
  });
});
