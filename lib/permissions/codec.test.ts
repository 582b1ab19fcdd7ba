import {
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionResult,
  getAddress,
  parseGwei,
  parseUnits,
  toFunctionSelector,
  zeroAddress,
  type Address,
  type Hex,
} from 'viem';
import { mulberry32 } from '../testing/mulberry32.js';
import { describe, expect, test } from 'vitest';
import { functorPolicyHookAbi } from '../abi/generated.js';
import {
  encodeSetPolicies,
  fromPolicies,
  fromSpendLimit,
  isEmptyPolicies,
  toPolicies,
  type PoliciesStruct,
} from './codec.js';
import {
  MAX_CALLS,
  MAX_CUSTOMS,
  MAX_SPENDS,
  MAX_UINT32,
  MAX_UINT48,
  MAX_UINT88,
  MAX_UINT96,
  MAX_UINT176,
} from './constants.js';
import { PermissionError } from './errors.js';
import {
  defaultGas,
  parsePermission,
  selectorOf,
  type Permission,
  type PermissionCall,
  type PermissionSpend,
} from './types.js';

const USDC = getAddress('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913');
const DAI = getAddress('0x50c5725949a6f0c72e6c4a641f24049a917db0cb');
const ROUTER = getAddress('0x2626664c2603336e57b271c5c0b26f421741e481');
const NOW = 1_795_342_800; // 2026-11-22 10:20 UTC
const DAY = 86_400;

/** "100 USDC per day, sliding; only USDC.transfer; expiry in 7 days". */
const canonical: Permission = {
  calls: [{ to: USDC, selector: selectorOf('transfer(address,uint256)') }],
  spend: [{ token: USDC, limit: parseUnits('100', 6), period: { kind: 'sliding', seconds: DAY } }],
  expiry: NOW + 7 * DAY,
  gas: defaultGas,
};

function expectPermissionError(f: () => unknown, field: string, reason?: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PermissionError);
  const e = err as PermissionError;
  expect(e.field).toBe(field);
  if (reason) expect(e.reason).toMatch(reason);
  expect(e.message).toBe(`${e.field}: ${e.reason}`);
}

describe('toPolicies', () => {
  test('the canonical example encodes to the exact struct', () => {
    expect(toPolicies(canonical)).toStrictEqual({
      validAfter: 0,
      validUntil: 1_795_947_600,
      calls: [{ target: USDC, selector: '0xa9059cbb' }],
      spends: [{ token: USDC, limit: 100_000_000n, period: 86_400, kind: 0, start: 0 }],
      rate: { maxCalls: 0, period: 0 },
      gas: {
        maxFeePerGas: 100_000_000_000n,
        maxCostPerOp: 300_000_000_000_000_000n,
        budget: 0n,
        paymaster: zeroAddress,
      },
      customs: [],
    });
  });

  test('sentinels: any target, any selector, value, native, fixed periods, rate, gas extras', () => {
    const pm = getAddress('0x00000000000000000000000000000000000000aa');
    const custom = getAddress('0x00000000000000000000000000000000000000bb');
    const s = toPolicies({
      calls: [
        { to: 'any', selector: '0xa9059cbb' },
        { to: ROUTER, selector: 'any' },
        { to: ROUTER, selector: 'value' },
        { to: 'any', selector: 'value' },
      ],
      spend: [
        { token: 'native', limit: 10n ** 18n, period: { kind: 'fixed', seconds: 30 * DAY, start: 1_795_305_600 } },
        { token: DAI, limit: MAX_UINT96, period: { kind: 'sliding', seconds: MAX_UINT32 } },
      ],
      rate: { maxCalls: 10, seconds: 3600 },
      validAfter: 1_000,
      expiry: MAX_UINT48,
      gas: { maxFeePerGas: 2n ** 64n - 1n, maxCostPerOp: MAX_UINT88, budget: MAX_UINT96, paymaster: pm },
      customs: [custom],
    });
    expect(s).toStrictEqual({
      validAfter: 1_000,
      validUntil: MAX_UINT48,
      calls: [
        { target: zeroAddress, selector: '0xa9059cbb' },
        { target: ROUTER, selector: '0xffffffff' },
        { target: ROUTER, selector: '0x00000000' },
        { target: zeroAddress, selector: '0x00000000' },
      ],
      spends: [
        { token: zeroAddress, limit: 10n ** 18n, period: 30 * DAY, kind: 1, start: 1_795_305_600 },
        { token: DAI, limit: MAX_UINT96, period: MAX_UINT32, kind: 0, start: 0 },
      ],
      rate: { maxCalls: 10, period: 3600 },
      gas: { maxFeePerGas: 2n ** 64n - 1n, maxCostPerOp: MAX_UINT88, budget: MAX_UINT96, paymaster: pm },
      customs: [custom],
    });
  });

  test('normalizes: checksums addresses, lowercases selectors, drops zeros that mean "none"', () => {
    const p = parsePermission({
      calls: [{ to: USDC.toLowerCase(), selector: '0xA9059CBB' }],
      spend: [{ token: zeroAddress, limit: 1n, period: { kind: 'sliding', seconds: 60 } }],
      validAfter: 0,
      gas: { ...defaultGas, paymaster: zeroAddress },
      customs: [],
    });
    expect(p).toStrictEqual({
      calls: [{ to: USDC, selector: '0xa9059cbb' }],
      spend: [{ token: 'native', limit: 1n, period: { kind: 'sliding', seconds: 60 } }],
      gas: defaultGas,
    });
  });

  test('selectorOf', () => {
    expect(selectorOf('transfer(address,uint256)')).toBe('0xa9059cbb');
    expect(selectorOf('function approve(address spender, uint256 amount)')).toBe('0x095ea7b3');
  });
});

describe('PermissionError', () => {
  const spend = (over: Partial<PermissionSpend> = {}): PermissionSpend => ({
    token: USDC,
    limit: 1n,
    period: { kind: 'sliding', seconds: DAY },
    ...over,
  });
  const bad = (over: Record<string, unknown>) => () => toPolicies({ ...canonical, ...over } as Permission);

  test('limit above uint96', () => {
    expectPermissionError(bad({ spend: [spend({ limit: MAX_UINT96 + 1n })] }), 'spend[0].limit', /uint96/);
    expectPermissionError(bad({ spend: [spend({ limit: -1n })] }), 'spend[0].limit', /negative/);
  });

  test('period 0 or above uint32', () => {
    expectPermissionError(
      bad({ spend: [spend({ period: { kind: 'sliding', seconds: 0 } })] }),
      'spend[0].period.seconds',
      /0 seconds/
    );
    expectPermissionError(
      bad({ spend: [spend({ period: { kind: 'fixed', seconds: MAX_UINT32 + 1, start: 0 } })] }),
      'spend[0].period.seconds',
      /uint32/
    );
    expectPermissionError(
      bad({ spend: [spend({ period: { kind: 'fixed', seconds: DAY, start: MAX_UINT32 + 1 } })] }),
      'spend[0].period.start',
      /uint32/
    );
    expectPermissionError(bad({ rate: { maxCalls: 1, seconds: 0 } }), 'rate.seconds', /0 seconds/);
    expectPermissionError(
      bad({ spend: [spend({ period: { kind: 'weekly', seconds: 1 } as never })] }),
      'spend[0].period.kind'
    );
    // A start is meaningless for sliding windows (the hook refuses one): the schema has no field for it.
    expectPermissionError(
      bad({ spend: [spend({ period: { kind: 'sliding', seconds: DAY, start: 5 } as never })] }),
      'spend[0].period',
      /start/
    );
  });

  test('any target with any selector', () => {
    expectPermissionError(
      bad({ calls: [canonical.calls[0], { to: 'any', selector: 'any' }] }),
      'calls[1]',
      /any target with any selector/
    );
  });

  test('duplicate token, including the zero address written for native', () => {
    expectPermissionError(bad({ spend: [spend(), spend({ limit: 2n })] }), 'spend[1].token', /twice/);
    expectPermissionError(
      bad({ spend: [spend({ token: 'native' }), spend({ token: zeroAddress })] }),
      'spend[1].token',
      /twice/
    );
    expectPermissionError(
      bad({ spend: [spend({ token: USDC }), spend({ token: USDC.toLowerCase() as Address })] }),
      'spend[1].token',
      /twice/
    );
  });

  test(`more than ${MAX_CALLS} calls, ${MAX_SPENDS} spends, ${MAX_CUSTOMS} customs`, () => {
    const calls: PermissionCall[] = Array.from({ length: MAX_CALLS + 1 }, (_, i) => ({
      to: addr(i + 1),
      selector: 'any',
    }));
    expectPermissionError(bad({ calls }), 'calls', /more than 32 calls/);
    expect(() => toPolicies({ ...canonical, calls: calls.slice(0, MAX_CALLS) })).not.toThrow();

    const spends = Array.from({ length: MAX_SPENDS + 1 }, (_, i) => spend({ token: addr(i + 1) }));
    expectPermissionError(bad({ spend: spends }), 'spend', /more than 8 spend limits/);
    expect(() => toPolicies({ ...canonical, spend: spends.slice(0, MAX_SPENDS) })).not.toThrow();

    const customs = Array.from({ length: MAX_CUSTOMS + 1 }, (_, i) => addr(i + 1));
    expectPermissionError(bad({ customs }), 'customs', /more than 4 custom policies/);
    expect(() => toPolicies({ ...canonical, customs: customs.slice(0, MAX_CUSTOMS) })).not.toThrow();
  });

  test('expiry <= validAfter', () => {
    expectPermissionError(bad({ validAfter: NOW, expiry: NOW }), 'expiry', /expiry <= validAfter/);
    expectPermissionError(bad({ validAfter: NOW, expiry: NOW - 1 }), 'expiry', /expiry <= validAfter/);
    expect(() => toPolicies({ ...canonical, validAfter: NOW, expiry: NOW + 1 })).not.toThrow();
    expectPermissionError(bad({ expiry: MAX_UINT48 + 1 }), 'expiry', /uint48/);
    expectPermissionError(bad({ validAfter: 1.5 }), 'validAfter', /integer/);
  });

  test('missing gas caps', () => {
    expectPermissionError(bad({ gas: undefined }), 'gas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxFeePerGas: 0n } }), 'gas.maxFeePerGas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxCostPerOp: 0n } }), 'gas.maxCostPerOp', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxCostPerOp: MAX_UINT88 + 1n } }), 'gas.maxCostPerOp', /uint88/);
    expectPermissionError(bad({ gas: { maxCostPerOp: 1n } }), 'gas.maxFeePerGas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxFeePerGas: 2n ** 64n } }), 'gas.maxFeePerGas', /uint64/);
    expectPermissionError(bad({ gas: { ...defaultGas, budget: MAX_UINT96 + 1n } }), 'gas.budget', /uint96/);
  });

  test('values whose onchain encoding would mean something else', () => {
    expectPermissionError(bad({ calls: [{ to: zeroAddress, selector: '0xa9059cbb' }] }), 'calls[0].to', /write 'any'/);
    expectPermissionError(bad({ calls: [{ to: USDC, selector: '0xffffffff' }] }), 'calls[0].selector', /write 'any'/);
    expectPermissionError(bad({ calls: [{ to: USDC, selector: '0x00000000' }] }), 'calls[0].selector', /write 'value'/);
    expectPermissionError(bad({ expiry: 0 }), 'expiry', /no expiry/);
    expectPermissionError(bad({ gas: { ...defaultGas, budget: 0n } }), 'gas.budget', /no budget/);
    expectPermissionError(bad({ rate: { maxCalls: 0, seconds: 60 } }), 'rate.maxCalls', /no rate limit/);
  });

  test('malformed input', () => {
    expectPermissionError(bad({ calls: [{ to: '0x1234', selector: 'any' }] }), 'calls[0].to', /address/);
    expectPermissionError(bad({ calls: [{ to: USDC, selector: '0xa9059c' }] }), 'calls[0].selector', /4-byte/);
    // A mixed-case address with a wrong checksum is a typo, not an address.
    const badChecksum = USDC.slice(0, 2) + USDC.slice(2, 3).toLowerCase() + USDC.slice(3).toUpperCase();
    expectPermissionError(bad({ customs: [badChecksum] }), 'customs[0]', /checksum/);
    expectPermissionError(bad({ spend: [spend({ limit: 5 as unknown as bigint })] }), 'spend[0].limit', /bigint/);
    expectPermissionError(bad({ calls: undefined }), 'calls', /required/);
    expectPermissionError(bad({ extra: 1 }), 'permission', /extra/);
    expectPermissionError(() => parsePermission(null), 'permission');
  });

  test('keyId must be a uint176', () => {
    expectPermissionError(() => encodeSetPolicies(0n, canonical), 'keyId');
    expectPermissionError(() => encodeSetPolicies(MAX_UINT176 + 1n, canonical), 'keyId');
    expect(() => encodeSetPolicies(MAX_UINT176, canonical)).not.toThrow();
  });

  test('fromPolicies refuses an empty struct (no policies set) and what the hook would refuse', () => {
    const empty: PoliciesStruct = {
      validAfter: 0,
      validUntil: 0,
      calls: [],
      spends: [],
      rate: { maxCalls: 0, period: 0 },
      gas: { maxFeePerGas: 0n, maxCostPerOp: 0n, budget: 0n, paymaster: zeroAddress },
      customs: [],
    };
    expect(isEmptyPolicies(empty)).toBe(true);
    expect(isEmptyPolicies(toPolicies(canonical))).toBe(false);
    expectPermissionError(() => fromPolicies(empty), 'policies', /no policies/);
    const s = toPolicies(canonical);
    expectPermissionError(() => fromPolicies({ ...s, spends: [{ ...s.spends[0]!, kind: 2 }] }), 'spend[0].period.kind');
    expectPermissionError(
      () => fromPolicies({ ...s, spends: [{ ...s.spends[0]!, period: 0 }] }),
      'spend[0].period.seconds'
    );
  });
});

describe('round trips', () => {
  test('canonical example: Permission → struct → Permission, and through setPolicies calldata', () => {
    expect(fromPolicies(toPolicies(canonical))).toStrictEqual(canonical);

    const data = encodeSetPolicies(123n, canonical);
    const setPolicies = functorPolicyHookAbi.find((x) => x.type === 'function' && x.name === 'setPolicies')!;
    expect(data.slice(0, 10)).toBe(toFunctionSelector(setPolicies as never));
    const { functionName, args } = decodeFunctionData({ abi: functorPolicyHookAbi, data });
    expect(functionName).toBe('setPolicies');
    expect(args![0]).toBe(123n);
    expect(args![1]).toStrictEqual(toPolicies(canonical));
  });

  test('policiesOf output (as viem decodes it) → Permission', () => {
    const struct = toPolicies(canonical);
    const ret = encodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', result: struct });
    const decoded = decodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', data: ret });
    expect(fromPolicies(decoded)).toStrictEqual(canonical);
  });

  test('spendUsage limits → spend entries', () => {
    const [limit] = toPolicies({
      ...canonical,
      spend: [{ token: 'native', limit: 5n, period: { kind: 'fixed', seconds: 3600, start: 7 } }],
    }).spends;
    expect(fromSpendLimit(limit!)).toStrictEqual({
      token: 'native',
      limit: 5n,
      period: { kind: 'fixed', seconds: 3600, start: 7 },
    });
  });

  test('property: 500 random permissions survive toPolicies/fromPolicies and ABI encoding exactly', () => {
    const rand = mulberry32(0xf0c7);
    for (let n = 0; n < 500; n++) {
      const p = randomPermission(rand);
      const struct = toPolicies(p);
      expect(fromPolicies(struct)).toStrictEqual(p);
      expect(toPolicies(fromPolicies(struct))).toStrictEqual(struct);
      const { args } = decodeFunctionData({ abi: functorPolicyHookAbi, data: encodeSetPolicies(1n, p) });
      expect(fromPolicies(args![1] as PoliciesStruct)).toStrictEqual(p);
    }
  });
});

function addr(i: number): Address {
  return getAddress(`0x${i.toString(16).padStart(40, '0')}`);
}

function randomPermission(rand: () => number): Permission {
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length - 1)]!;
  const chance = (q: number) => rand() < q;
  const bytes = (n: number): Hex =>
    `0x${Array.from({ length: n }, () => int(255).toString(16).padStart(2, '0')).join('')}`;
  const big = (bits: number): bigint => {
    // Edges as often as the middle: 0/1, the max, and random widths.
    const r = rand();
    if (r < 0.1) return BigInt(int(1));
    if (r < 0.2) return 2n ** BigInt(bits) - 1n;
    return BigInt(bytes(Math.ceil(bits / 8))) % 2n ** BigInt(int(bits - 1) + 1);
  };
  const address = (): Address => getAddress(bytes(20));
  const selector = (): Hex => {
    for (;;) {
      const s = bytes(4);
      if (s !== '0x00000000' && s !== '0xffffffff') return s;
    }
  };
  const uint32 = () => (chance(0.1) ? MAX_UINT32 : 1 + int(MAX_UINT32 - 1));

  const calls: PermissionCall[] = Array.from({ length: int(MAX_CALLS) }, () => {
    const to = chance(0.2) ? 'any' : address();
    const sel = to === 'any' ? pick([selector(), 'value'] as const) : pick([selector(), 'any', 'value'] as const);
    return { to, selector: sel };
  });
  const tokens = ['native' as const, ...Array.from({ length: MAX_SPENDS }, address)];
  const spend: PermissionSpend[] = tokens
    .sort(() => rand() - 0.5)
    .slice(0, int(MAX_SPENDS))
    .map((token) => ({
      token,
      limit: big(96),
      period: chance(0.5)
        ? { kind: 'sliding', seconds: uint32() }
        : { kind: 'fixed', seconds: uint32(), start: int(MAX_UINT32) },
    }));
  const p: Permission = {
    calls,
    spend,
    gas: { maxFeePerGas: big(64) || 1n, maxCostPerOp: big(88) || 1n },
  };
  if (chance(0.5)) p.rate = { maxCalls: uint32(), seconds: uint32() };
  if (chance(0.5)) p.validAfter = 1 + int(MAX_UINT48 - 2);
  if (chance(0.6)) p.expiry = (p.validAfter ?? 0) + 1 + int(MAX_UINT48 - (p.validAfter ?? 0) - 1);
  if (chance(0.5)) p.gas.budget = big(96) || 1n;
  if (chance(0.5)) p.gas.paymaster = address();
  if (chance(0.5)) p.customs = Array.from({ length: 1 + int(MAX_CUSTOMS - 1) }, address);
  return p;
}
