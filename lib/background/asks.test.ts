import { getAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { Approval } from './approvals.js';
import { applyLimits, asksOf } from './asks.js';

const USDC = '0x0000000000000000000000000000000000000005';
const approval = (adjust: boolean): Approval => ({
  id: '1',
  origin: 'http://dapp.test',
  kind: 'permissions',
  method: 'wallet_requestExecutionPermissions',
  createdAt: 0,
  state: 'open',
  progress: [],
  params: {
    now: 1_795_342_800,
    chainFeePerGas: '2000000000',
    request: [
      {
        chainId: toHex(31337),
        to: getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7'),
        permission: {
          type: 'erc20-token-periodic',
          isAdjustmentAllowed: adjust,
          data: { tokenAddress: USDC, periodAmount: toHex(100_000_000n), periodDuration: 86400 },
        },
      },
    ],
  },
});

describe('the user lowering amounts', () => {
  it('translates the stored request with the time it arrived (same numbers as shown)', () => {
    const [t] = asksOf(approval(true));
    expect(t!.permission.spend[0]!.limit).toBe(100_000_000n);
    expect(t!.permission.spend[0]!.period).toEqual({ kind: 'fixed', seconds: 86400, start: 1_795_342_800 });
    // The gas caps from the fee stored with the request: 3 x 2 gwei, 1.2M gas an op, 100 ops.
    expect(t!.permission.gas).toEqual({ maxFeePerGas: 6_000_000_000n, maxCostPerOp: 6_000_000_000n * 1_200_000n, maxOps: 100 });
  });

  it('refuses a stored request without the fee it arrived with', () => {
    const a = approval(true);
    const { chainFeePerGas: _, ...params } = a.params as Record<string, unknown>;
    expect(() => asksOf({ ...a, params })).toThrow(/chainFeePerGas/);
  });

  it('applies a lower limit, and refuses a raise, a zero, or any change the site did not allow', () => {
    expect(applyLimits(asksOf(approval(true)), [['60000000']])[0]!.permission.spend[0]!.limit).toBe(60_000_000n);
    expect(applyLimits(asksOf(approval(true)), [['100000000']])[0]!.permission.spend[0]!.limit).toBe(100_000_000n);
    expect(() => applyLimits(asksOf(approval(true)), [['100000001']])).toThrow(/only be lowered/);
    expect(() => applyLimits(asksOf(approval(true)), [['0']])).toThrow(/0/);
    expect(() => applyLimits(asksOf(approval(false)), [['1']])).toThrow(/does not allow/);
  });
});
