import { getAddress, parseEther, parseUnits } from 'viem';
import { describe, expect, test } from 'vitest';
import { describeGas, describeOpBound, describePermission, formatDate, formatUsage, UNLIMITED_LOOKING, warnings, type TokenInfos } from './describe.js';
import { addressWord, selectorOf, uintWord, type Permission, type PermissionGas } from './types.js';

const USDC = getAddress('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913');
const DAI = getAddress('0x50c5725949a6f0c72e6c4a641f24049a917db0cb');
const ROUTER = getAddress('0x2626664c2603336e57b271c5c0b26f421741e481');
const ACCOUNT = getAddress('0x1111111111111111111111111111111111111111');
const PAYEE = getAddress('0x2222222222222222222222222222222222222222');
const NOW = 1_795_342_800; // 2026-11-22 10:20 UTC
const MIDNIGHT = 1_795_305_600; // 2026-11-22 00:00 UTC
const DAY = 86_400;
/** 5 gwei a gas, 0.001 ETH an op, 50 ops. */
const defaultGas: PermissionGas = { maxFeePerGas: 5_000_000_000n, maxCostPerOp: parseEther('0.001'), maxOps: 50 };

const tokens: TokenInfos = {
  [USDC.toLowerCase()]: { symbol: 'USDC', decimals: 6 },
  [DAI.toLowerCase()]: { symbol: 'DAI', decimals: 18 },
  native: { symbol: 'ETH', decimals: 18 },
};

const canonical: Permission = {
  calls: [{ to: USDC, selector: selectorOf('transfer(address,uint256)') }],
  spend: [{ token: USDC, limit: parseUnits('100', 6), period: { kind: 'sliding', seconds: DAY } }],
  expiry: NOW + 7 * DAY,
  gas: defaultGas,
};

describe('describePermission', () => {
  test('the canonical example', () => {
    expect(describePermission(canonical, tokens, NOW)).toStrictEqual([
      'May call USDC.transfer',
      'Up to 100 USDC in any 24 hours',
      'Expires on 2026-11-29 10:20 UTC (in 7 days)',
      'Gas: at most 0.05 ETH in all, 0.001 ETH per operation (50 operations), at up to 5 gwei per gas',
    ]);
  });

  test('fixed periods, rate, validAfter, no expiry, budget, paymaster, customs', () => {
    const lines = describePermission(
      {
        calls: [
          { to: ROUTER, selector: 'any' },
          { to: 'any', selector: selectorOf('approve(address,uint256)') },
          { to: ROUTER, selector: 'value' },
          { to: 'any', selector: 'value' },
          { to: DAI, selector: '0x12345678' },
        ],
        spend: [
          { token: USDC, limit: parseUnits('1000000.5', 6), period: { kind: 'fixed', seconds: DAY, start: MIDNIGHT } },
          { token: 'native', limit: parseEther('0.25'), period: { kind: 'sliding', seconds: 7 * DAY } },
          { token: DAI, limit: 0n, period: { kind: 'sliding', seconds: 3600 } },
        ],
        rate: { maxCalls: 10, seconds: 3600 },
        validAfter: NOW + 3 * 3600 + 59,
        gas: {
          maxFeePerGas: 1_500_000_000n,
          maxCostPerOp: parseEther('0.01'),
          maxOps: 20,
          budget: parseEther('0.05'),
          paymaster: ROUTER,
        },
        customs: [ACCOUNT],
      },
      tokens,
      NOW,
      { targets: { [ROUTER.toLowerCase()]: 'Uniswap router' }, selectors: { '0x12345678': 'permit' } },
    );
    expect(lines).toStrictEqual([
      'May call any function of Uniswap router',
      'May call approve on any contract',
      'May send ETH to Uniswap router',
      'May send ETH to any address',
      'May call DAI.permit',
      'Up to 1,000,000.5 USDC per period of 1 day, starting 2026-11-22 00:00 UTC',
      'Up to 0.25 ETH in any 7 days',
      'May not spend any DAI',
      'At most 10 transactions in any hour',
      'Valid from 2026-11-22 13:20 UTC (in 3 hours)',
      'No expiry',
      // 20 ops x 0.01 ETH is 0.2 ETH, but the budget stops at 0.05.
      'Gas: at most 0.05 ETH in all, 0.01 ETH per operation (20 operations), at up to 1.5 gwei per gas',
      'Gas may be paid by Uniswap router',
      'Also checked by the custom policy 0x1111…1111',
    ]);
  });

  test('unknown names: the address shortened and the selector', () => {
    const other = getAddress('0xabcdef0000000000000000000000000000001234');
    const lines = describePermission(
      {
        calls: [{ to: other, selector: '0xdeadbeef' }],
        spend: [{ token: other, limit: 5000n, period: { kind: 'fixed', seconds: 5400, start: MIDNIGHT } }],
        rate: { maxCalls: 1, seconds: 90 },
        gas: defaultGas,
      },
      {},
      NOW,
    );
    expect(lines.slice(0, 3)).toStrictEqual([
      'May call 0xABcD…1234.0xdeadbeef',
      'Up to 5,000 units of 0xABcD…1234 per period of 90 minutes, starting 2026-11-22 00:00 UTC',
      'At most 1 transaction in any 90 seconds',
    ]);
  });

  test('no calls, an expired key, a past validAfter', () => {
    expect(describePermission({ calls: [], spend: [], validAfter: NOW - 10, expiry: NOW - 1, gas: defaultGas }, tokens, NOW)).toStrictEqual([
      'May not call anything',
      'Expired on 2026-11-22 10:19 UTC',
      'Gas: at most 0.05 ETH in all, 0.001 ETH per operation (50 operations), at up to 5 gwei per gas',
    ]);
  });

  test('the gas worst case: ops x per-op cost, capped by a budget; one op; none left', () => {
    expect(describeGas({ ...defaultGas, maxOps: 1 })).toBe('Gas: at most 0.001 ETH in all, 0.001 ETH per operation (1 operation), at up to 5 gwei per gas');
    expect(describeGas({ ...defaultGas, maxOps: 12_000, budget: parseEther('1') })).toBe(
      'Gas: at most 1 ETH in all, 0.001 ETH per operation (12,000 operations), at up to 5 gwei per gas',
    );
    expect(describeGas({ ...defaultGas, budget: parseEther('1') })).toMatch(/^Gas: at most 0\.05 ETH in all/);
    expect(describeGas({ ...defaultGas, maxOps: 0 })).toBe('Gas: no operation left (the key has used all it was allowed)');
    expect(describeGas(defaultGas, { symbol: 'xDAI', decimals: 18 })).toMatch(/0\.05 xDAI in all, 0\.001 xDAI per operation/);
  });

  test('the op bound as it stands onchain (the agent status)', () => {
    const g = { opCeiling: 100, maxCostPerOp: parseEther('0.002'), maxFeePerGas: 2_000_000_000n };
    expect(describeOpBound(g, 30n)).toStrictEqual({
      left: 70,
      ops: "30 made on the key's lane, 70 left (op ceiling 100)",
      gas: 'at most 0.002 ETH per operation, 0.14 ETH in all for the 70 left (fee cap 2 gwei)',
    });
    expect(describeOpBound({ ...g, budget: parseEther('0.01') }, 30n).gas).toMatch(/0\.01 ETH in all/);
    expect(describeOpBound({ ...g, budget: 0n }, 30n).gas).toMatch(/0\.14 ETH in all/);
    expect(describeOpBound(g, 100n).left).toBe(0);
    expect(describeOpBound(g, 120n).ops).toBe("120 made on the key's lane, 0 left (op ceiling 100)");
  });

  test('formatDate', () => {
    expect(formatDate(MIDNIGHT)).toBe('2026-11-22 00:00 UTC');
    expect(formatDate(0)).toBe('1970-01-01 00:00 UTC');
    expect(formatDate(2 ** 48 - 1)).toBe(`unix time ${2 ** 48 - 1}`);
  });
});

describe('argument conditions in words', () => {
  test('payees, per-call caps, other selectors and arguments', () => {
    const p: Permission = {
      ...canonical,
      calls: [
        {
          to: USDC,
          selector: selectorOf('transfer(address,uint256)'),
          args: [
            { arg: 0, op: 'oneOf', values: [addressWord(PAYEE), addressWord(ROUTER)] },
            { arg: 1, op: 'atMost', values: [uintWord(parseUnits('30', 6))] },
          ],
        },
        { to: DAI, selector: selectorOf('approve(address,uint256)'), args: [{ arg: 0, op: 'equal', values: [addressWord(ROUTER)] }] },
        { to: ROUTER, selector: '0x12345678', args: [{ arg: 2, op: 'atLeast', values: [uintWord(5n)] }] },
      ],
    };
    expect(describePermission(p, tokens, NOW).slice(0, 3)).toStrictEqual([
      'May call USDC.transfer, only to 0x2222…2222, 0x2626…e481, at most 30 USDC a call',
      'May call DAI.approve, only for 0x2626…e481',
      'May call 0x2626…e481.0x12345678, argument 2 at least 5',
    ]);
  });
});

describe('warnings', () => {
  /** The canonical example with a payee: nothing to point out. */
  const paid: Permission = { ...canonical, calls: [{ ...canonical.calls[0]!, args: [{ arg: 0, op: 'oneOf', values: [addressWord(PAYEE)] }] }] };
  const mayPayAnyone = 'May pay anyone with USDC: no payee is set, so a leaked key could pay itself (within the limits)';

  test('the canonical example with a payee has none; without one, it may pay anyone', () => {
    expect(warnings(paid, { account: ACCOUNT, tokens })).toStrictEqual([]);
    expect(warnings(canonical, { account: ACCOUNT, tokens })).toStrictEqual([mayPayAnyone]);
    // a cap per call is not a payee
    const capped: Permission = { ...canonical, calls: [{ ...canonical.calls[0]!, args: [{ arg: 1, op: 'atMost', values: [uintWord(1n)] }] }] };
    expect(warnings(capped, { tokens })).toStrictEqual([mayPayAnyone]);
  });

  test('unlimited-looking amounts', () => {
    const p: Permission = { ...paid, spend: [{ ...canonical.spend[0]!, limit: UNLIMITED_LOOKING }] };
    expect(warnings(p, { tokens })).toStrictEqual(['The USDC limit is so large that it is effectively unlimited']);
    expect(warnings({ ...p, spend: [{ ...canonical.spend[0]!, limit: UNLIMITED_LOOKING - 1n }] }, { tokens })).toStrictEqual([]);
  });

  test('no expiry', () => {
    const { expiry: _, ...p } = paid;
    expect(warnings(p, { tokens })).toStrictEqual(['Never expires: it stays valid until you revoke it']);
  });

  test('a call target equal to the account itself', () => {
    const p: Permission = { ...paid, calls: [...paid.calls, { to: ACCOUNT, selector: '0x12345678' }] };
    expect(warnings(p, { account: ACCOUNT.toLowerCase() as `0x${string}`, tokens })).toStrictEqual([
      'Lets the key call the account itself (the hook refuses such a policy)',
    ]);
    expect(warnings(p, { tokens })).toStrictEqual([]);
  });

  test('any-target calls', () => {
    const p: Permission = {
      ...paid,
      calls: [...paid.calls, { to: 'any', selector: selectorOf('transfer(address,uint256)') }],
    };
    expect(warnings(p, { tokens })).toStrictEqual([
      'May call transfer on any contract, including ones you have never seen',
      'May pay anyone with any token: no payee is set, so a leaked key could pay itself (within the limits)',
    ]);
  });

  test('value transfers with no native limit', () => {
    const p: Permission = { ...paid, calls: [...paid.calls, { to: ROUTER, selector: 'value' }] };
    expect(warnings(p, { tokens })).toStrictEqual(['May send ETH, but no ETH limit is set: every call with value will be refused']);
    const limited: Permission = {
      ...p,
      spend: [...p.spend, { token: 'native', limit: parseEther('1'), period: { kind: 'sliding', seconds: DAY } }],
    };
    expect(warnings(limited, { tokens })).toStrictEqual([]);
  });

  test('a token moved with no spend limit on it', () => {
    const p: Permission = {
      ...paid,
      calls: [
        ...paid.calls,
        { to: DAI, selector: selectorOf('approve(address,uint256)') },
        { to: DAI, selector: 'any' },
        { to: ROUTER, selector: 'any' }, // not a known token: any selector is not a known spend
        { to: ROUTER, selector: '0x12345678' },
      ],
    };
    expect(warnings(p, { tokens })).toStrictEqual([
      'May pay anyone with DAI: no payee is set, so a leaked key could pay itself (within the limits)',
      'No spend limit on DAI: the key may move any amount of it',
    ]);
  });

  test('all at once, in a stable order', () => {
    const p: Permission = {
      calls: [
        { to: ACCOUNT, selector: 'any' },
        { to: 'any', selector: 'value' },
      ],
      spend: [{ token: USDC, limit: 2n ** 96n - 1n, period: { kind: 'sliding', seconds: DAY } }],
      gas: defaultGas,
    };
    expect(warnings(p, { account: ACCOUNT, tokens })).toStrictEqual([
      'The USDC limit is so large that it is effectively unlimited',
      'Never expires: it stays valid until you revoke it',
      'Lets the key call the account itself (the hook refuses such a policy)',
      'May send ETH to any address, including ones you have never seen',
      'May send ETH, but no ETH limit is set: every call with value will be refused',
    ]);
  });
});

describe('formatUsage', () => {
  const usdc = { symbol: 'USDC', decimals: 6 };

  test('sliding', () => {
    expect(formatUsage(90_000_000n, 100_000_000n, usdc, { kind: 'sliding', seconds: DAY })).toBe('90 / 100 USDC in the last 24 h');
    expect(formatUsage(1n, 100_000_000n, usdc, { kind: 'sliding', seconds: 7 * DAY })).toBe('0.000001 / 100 USDC in the last 7 days');
    expect(formatUsage(0n, 5n, usdc, { kind: 'sliding', seconds: 1800 })).toBe('0 / 0.000005 USDC in the last 30 min');
    expect(formatUsage(0n, 5n, usdc, { kind: 'sliding', seconds: 45 })).toBe('0 / 0.000005 USDC in the last 45 s');
  });

  test('fixed: resets at the end of the current period, or when spendUsage says', () => {
    const period = { kind: 'fixed', seconds: DAY, start: MIDNIGHT } as const;
    expect(formatUsage(90_000_000n, 100_000_000n, usdc, period, { now: NOW })).toBe('90 / 100 USDC this period (resets 2026-11-23 00:00 UTC)');
    expect(formatUsage(0n, 100_000_000n, usdc, period, { now: MIDNIGHT - 5 })).toBe('0 / 100 USDC this period (resets 2026-11-22 00:00 UTC)');
    expect(formatUsage(0n, 100_000_000n, usdc, period, { now: MIDNIGHT + DAY })).toBe('0 / 100 USDC this period (resets 2026-11-24 00:00 UTC)');
    expect(formatUsage(0n, 100_000_000n, usdc, period, { resetsAt: MIDNIGHT + 12 * 3600 })).toBe('0 / 100 USDC this period (resets 2026-11-22 12:00 UTC)');
  });
});
