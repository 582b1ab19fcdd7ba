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
import { encodeSetPolicies, fromPolicies, fromSpendLimit, isEmptyPolicies, opCeilingFor, opsLeft, toPolicies, type PoliciesStruct } from './codec.js';
import {
  MAX_CALLS,
  MAX_CUSTOMS,
  MAX_SPENDS,
  MAX_UINT32,
  MANAGEMENT_SELECTORS,
  MAX_FEE_PER_GAS,
  MAX_UINT48,
  MAX_UINT72,
  MAX_UINT96,
  MAX_UINT176,
} from './constants.js';
import { PermissionError } from './errors.js';
import { addressWord, parsePermission, type PermissionGas, selectorOf, type Permission, type PermissionCall, type PermissionSpend, uintWord } from './types.js';

const USDC = getAddress('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913');
const DAI = getAddress('0x50c5725949a6f0c72e6c4a641f24049a917db0cb');
const ROUTER = getAddress('0x2626664c2603336e57b271c5c0b26f421741e481');
const NOW = 1_795_342_800; // 2026-11-22 10:20 UTC
const DAY = 86_400;
/** 2 gwei, 0.002 ETH an op (1M gas), 50 ops: at most 0.1 ETH in all. */
const defaultGas: PermissionGas = { maxFeePerGas: parseGwei('2'), maxCostPerOp: parseGwei('2') * 1_000_000n, maxOps: 50 };

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
    expect(toPolicies(canonical, 0n)).toStrictEqual({
      validAfter: 0,
      validUntil: 1_795_947_600,
      calls: [{ target: USDC, selector: '0xa9059cbb' }],
      spends: [{ token: USDC, limit: 100_000_000n, period: 86_400, kind: 0, start: 0 }],
      rate: { maxCalls: 0, period: 0 },
      gas: {
        maxFeePerGas: 2_000_000_000,
        maxCostPerOp: 2_000_000_000_000_000n,
        opCeiling: 50,
        budget: 0n,
        paymaster: zeroAddress,
      },
      customs: [],
      conditions: [],
    });
  });

  test("argument conditions: each call's, adjacent, in the order of the calls, as ArgOp numbers and words", () => {
    const bob = getAddress('0x00000000000000000000000000000000000b0b00');
    const carol = getAddress('0x00000000000000000000000000000000000ca201');
    const p: Permission = {
      ...canonical,
      calls: [
        { to: DAI, selector: selectorOf('approve(address,uint256)'), args: [{ arg: 0, op: 'equal', values: [addressWord(ROUTER)] }] },
        {
          to: USDC,
          selector: selectorOf('transfer(address,uint256)'),
          args: [
            { arg: 0, op: 'oneOf', values: [addressWord(bob), addressWord(carol)] },
            { arg: 1, op: 'atMost', values: [uintWord(parseUnits('30', 6))] },
          ],
        },
      ],
    };
    const struct = toPolicies(p, 0n);
    expect(struct.conditions).toStrictEqual([
      { target: DAI, selector: '0x095ea7b3', arg: 0, op: 0, values: [`0x000000000000000000000000${ROUTER.slice(2).toLowerCase()}`] },
      { target: USDC, selector: '0xa9059cbb', arg: 0, op: 3, values: [addressWord(bob), addressWord(carol)] },
      { target: USDC, selector: '0xa9059cbb', arg: 1, op: 1, values: [`0x${'0'.repeat(56)}01c9c380`] },
    ]);
    // and back, through the ABI as policiesOf returns it
    const ret = encodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', result: struct });
    expect(fromPolicies(decodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', data: ret }), 0n)).toStrictEqual(parsePermission(p));
  });

  test('sentinels: any target, any selector, value, native, fixed periods, rate, gas extras', () => {
    const pm = getAddress('0x00000000000000000000000000000000000000aa');
    const custom = getAddress('0x00000000000000000000000000000000000000bb');
    const s = toPolicies(
      {
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
        gas: { maxFeePerGas: MAX_FEE_PER_GAS, maxCostPerOp: MAX_UINT72, maxOps: 10, budget: MAX_UINT96, paymaster: pm },
        customs: [custom],
      },
      7n,
    );
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
      // The ceiling is absolute: the lane is at 7, so 10 more ops is a ceiling of 17.
      gas: { maxFeePerGas: 2 ** 48 - 1, maxCostPerOp: MAX_UINT72, opCeiling: 17, budget: MAX_UINT96, paymaster: pm },
      customs: [custom],
      conditions: [],
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
  const bad = (over: Record<string, unknown>) => () => toPolicies({ ...canonical, ...over } as Permission, 0n);

  test('limit above uint96', () => {
    expectPermissionError(bad({ spend: [spend({ limit: MAX_UINT96 + 1n })] }), 'spend[0].limit', /uint96/);
    expectPermissionError(bad({ spend: [spend({ limit: -1n })] }), 'spend[0].limit', /negative/);
  });

  test('period 0 or above uint32', () => {
    expectPermissionError(bad({ spend: [spend({ period: { kind: 'sliding', seconds: 0 } })] }), 'spend[0].period.seconds', /0 seconds/);
    expectPermissionError(bad({ spend: [spend({ period: { kind: 'fixed', seconds: MAX_UINT32 + 1, start: 0 } })] }), 'spend[0].period.seconds', /uint32/);
    expectPermissionError(bad({ spend: [spend({ period: { kind: 'fixed', seconds: DAY, start: MAX_UINT32 + 1 } })] }), 'spend[0].period.start', /uint32/);
    expectPermissionError(bad({ rate: { maxCalls: 1, seconds: 0 } }), 'rate.seconds', /0 seconds/);
    expectPermissionError(bad({ spend: [spend({ period: { kind: 'weekly', seconds: 1 } as never })] }), 'spend[0].period.kind');
    // A start is meaningless for sliding windows (the hook refuses one): the schema has no field for it.
    expectPermissionError(bad({ spend: [spend({ period: { kind: 'sliding', seconds: DAY, start: 5 } as never })] }), 'spend[0].period', /start/);
  });

  test('any target with any selector', () => {
    expectPermissionError(bad({ calls: [canonical.calls[0], { to: 'any', selector: 'any' }] }), 'calls[1]', /any target with any selector/);
  });

  test('duplicate token, including the zero address written for native', () => {
    expectPermissionError(bad({ spend: [spend(), spend({ limit: 2n })] }), 'spend[1].token', /twice/);
    expectPermissionError(bad({ spend: [spend({ token: 'native' }), spend({ token: zeroAddress })] }), 'spend[1].token', /twice/);
    expectPermissionError(bad({ spend: [spend({ token: USDC }), spend({ token: USDC.toLowerCase() as Address })] }), 'spend[1].token', /twice/);
  });

  test(`more than ${MAX_CALLS} calls, ${MAX_SPENDS} spends, ${MAX_CUSTOMS} customs`, () => {
    const calls: PermissionCall[] = Array.from({ length: MAX_CALLS + 1 }, (_, i) => ({
      to: addr(i + 1),
      selector: 'any',
    }));
    expectPermissionError(bad({ calls }), 'calls', /more than 32 calls/);
    expect(() => toPolicies({ ...canonical, calls: calls.slice(0, MAX_CALLS) }, 0n)).not.toThrow();

    const spends = Array.from({ length: MAX_SPENDS + 1 }, (_, i) => spend({ token: addr(i + 1) }));
    expectPermissionError(bad({ spend: spends }), 'spend', /more than 8 spend limits/);
    expect(() => toPolicies({ ...canonical, spend: spends.slice(0, MAX_SPENDS) }, 0n)).not.toThrow();

    const customs = Array.from({ length: MAX_CUSTOMS + 1 }, (_, i) => addr(i + 1));
    expectPermissionError(bad({ customs }), 'customs', /more than 4 custom policies/);
    expect(() => toPolicies({ ...canonical, customs: customs.slice(0, MAX_CUSTOMS) }, 0n)).not.toThrow();
  });

  test('expiry <= validAfter', () => {
    expectPermissionError(bad({ validAfter: NOW, expiry: NOW }), 'expiry', /expiry <= validAfter/);
    expectPermissionError(bad({ validAfter: NOW, expiry: NOW - 1 }), 'expiry', /expiry <= validAfter/);
    expect(() => toPolicies({ ...canonical, validAfter: NOW, expiry: NOW + 1 }, 0n)).not.toThrow();
    expectPermissionError(bad({ expiry: MAX_UINT48 + 1 }), 'expiry', /uint48/);
    expectPermissionError(bad({ validAfter: 1.5 }), 'validAfter', /integer/);
  });

  test('missing gas caps', () => {
    expectPermissionError(bad({ gas: undefined }), 'gas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxFeePerGas: 0n } }), 'gas.maxFeePerGas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxCostPerOp: 0n } }), 'gas.maxCostPerOp', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxCostPerOp: MAX_UINT72 + 1n } }), 'gas.maxCostPerOp', /uint72/);
    expect(() => toPolicies({ ...canonical, gas: { ...defaultGas, maxCostPerOp: MAX_UINT72 } }, 0n)).not.toThrow();
    expectPermissionError(bad({ gas: { maxCostPerOp: 1n, maxOps: 1 } }), 'gas.maxFeePerGas', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxFeePerGas: MAX_FEE_PER_GAS + 1n } }), 'gas.maxFeePerGas', /uint48/);
    expect(() => toPolicies({ ...canonical, gas: { ...defaultGas, maxFeePerGas: MAX_FEE_PER_GAS } }, 0n)).not.toThrow();
    expectPermissionError(bad({ gas: { ...defaultGas, budget: MAX_UINT96 + 1n } }), 'gas.budget', /uint96/);
  });

  test('the op bound is mandatory, relative to the lane, and fits a uint32 ceiling', () => {
    const { maxOps: _, ...noOps } = defaultGas;
    expectPermissionError(bad({ gas: noOps }), 'gas.maxOps', /mandatory/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxOps: 0 } }), 'gas.maxOps', /at least 1/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxOps: 1.5 } }), 'gas.maxOps', /integer/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxOps: -1 } }), 'gas.maxOps', /negative/);
    expectPermissionError(bad({ gas: { ...defaultGas, maxOps: MAX_UINT32 + 1 } }), 'gas.maxOps', /uint32/);
    expect(toPolicies({ ...canonical, gas: { ...defaultGas, maxOps: MAX_UINT32 } }, 0n).gas.opCeiling).toBe(MAX_UINT32);
    // The lane already moved: the ceiling counts from where it is, and must still fit.
    expect(toPolicies(canonical, 1_000n).gas.opCeiling).toBe(1_050);
    expectPermissionError(() => toPolicies({ ...canonical, gas: { ...defaultGas, maxOps: MAX_UINT32 } }, 1n), 'gas.maxOps', /uint32/);
    // Only the low 64 bits of a nonce are the sequence.
    expect(opCeilingFor(5, (123n << 64n) | 10n)).toBe(15);
    expect(opsLeft(15, 10n)).toBe(5);
    expect(opsLeft(15, 15n)).toBe(0);
    expect(opsLeft(15, 99n)).toBe(0);
  });

  test('any target with a module or account management selector', () => {
    for (const sel of Object.keys(MANAGEMENT_SELECTORS)) {
      expectPermissionError(bad({ calls: [{ to: 'any', selector: sel }] }), 'calls[0]', /management/);
      // On a named target the schema cannot know: the background asks the chain (accounts/machinery.ts).
      expect(() => toPolicies({ ...canonical, calls: [{ to: ROUTER, selector: sel as Hex }] }, 0n)).not.toThrow();
    }
    expect(Object.keys(MANAGEMENT_SELECTORS)).toHaveLength(16);
    expect(MANAGEMENT_SELECTORS['0xe9ae5c53']).toBe('execute(bytes32,bytes)');
    expect(selectorOf('installModule(uint256,address,bytes)')).toBe('0x9517e29f');
    expect(selectorOf('setFallbackHandler(address)')).toBe('0xf08a0323');
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

  test('argument conditions that do not fit are refused, naming the field', () => {
    const transfer = selectorOf('transfer(address,uint256)');
    const word = uintWord(1n);
    const withArgs = (calls: PermissionCall[]) => () => parsePermission({ ...canonical, calls });
    expectPermissionError(withArgs([{ to: 'any', selector: transfer, args: [{ arg: 0, op: 'equal', values: [word] }] }]), 'calls[0].args', /exact target/);
    expectPermissionError(withArgs([{ to: USDC, selector: 'any', args: [{ arg: 0, op: 'equal', values: [word] }] }]), 'calls[0].args', /exact target/);
    expectPermissionError(
      withArgs([{ to: USDC, selector: transfer, args: [{ arg: 0, op: 'equal', values: [word, word] }] }]),
      'calls[0].args[0].values',
      /exactly one/,
    );
    expectPermissionError(withArgs([{ to: USDC, selector: transfer, args: [{ arg: 0, op: 'oneOf', values: [] }] }]), 'calls[0].args[0].values', /1 to 16/);
    expectPermissionError(
      withArgs([{ to: USDC, selector: transfer, args: [{ arg: 0, op: 'equal', values: ['0x1234'] }] }]),
      'calls[0].args[0].values[0]',
      /32-byte/,
    );
    expectPermissionError(withArgs([{ to: USDC, selector: transfer, args: [{ arg: 256, op: 'equal', values: [word] }] }]), 'calls[0].args[0].arg');
    expectPermissionError(
      withArgs([
        { to: USDC, selector: transfer, args: [{ arg: 0, op: 'equal', values: [word] }] },
        { to: USDC, selector: transfer, args: [{ arg: 1, op: 'atMost', values: [word] }] },
      ]),
      'calls[1].args',
      /listed twice/,
    );
    const nine = Array.from({ length: 9 }, (_, i) => ({ arg: i, op: 'atLeast' as const, values: [word] }));
    expectPermissionError(withArgs([{ to: USDC, selector: transfer, args: nine }]), 'calls[0].args', /more than 8/);
    const eight = nine.slice(0, 8);
    expectPermissionError(
      withArgs([
        { to: USDC, selector: transfer, args: eight },
        { to: DAI, selector: transfer, args: eight },
        { to: ROUTER, selector: transfer, args: [eight[0]!] },
      ]),
      'calls',
      /more than 16 argument conditions/,
    );
  });

  test('keyId must be a uint176', () => {
    expectPermissionError(() => encodeSetPolicies(0n, canonical, 0n), 'keyId');
    expectPermissionError(() => encodeSetPolicies(MAX_UINT176 + 1n, canonical, 0n), 'keyId');
    expect(() => encodeSetPolicies(MAX_UINT176, canonical, 0n)).not.toThrow();
  });

  test('fromPolicies refuses an empty struct (no policies set) and what the hook would refuse', () => {
    const empty: PoliciesStruct = {
      validAfter: 0,
      validUntil: 0,
      calls: [],
      spends: [],
      rate: { maxCalls: 0, period: 0 },
      gas: { maxFeePerGas: 0, maxCostPerOp: 0n, opCeiling: 0, budget: 0n, paymaster: zeroAddress },
      customs: [],
      conditions: [],
    };
    expect(isEmptyPolicies(empty)).toBe(true);
    expect(isEmptyPolicies(toPolicies(canonical, 0n))).toBe(false);
    expectPermissionError(() => fromPolicies(empty, 0n), 'policies', /no policies/);
    const s = toPolicies(canonical, 0n);
    expectPermissionError(() => fromPolicies({ ...s, spends: [{ ...s.spends[0]!, kind: 2 }] }, 0n), 'spend[0].period.kind');
    expectPermissionError(() => fromPolicies({ ...s, spends: [{ ...s.spends[0]!, period: 0 }] }, 0n), 'spend[0].period.seconds');
  });
});

describe('round trips', () => {
  test('canonical example: Permission → struct → Permission, and through setPolicies calldata', () => {
    expect(fromPolicies(toPolicies(canonical, 0n), 0n)).toStrictEqual(canonical);

    const data = encodeSetPolicies(123n, canonical, 0n);
    const setPolicies = functorPolicyHookAbi.find((x) => x.type === 'function' && x.name === 'setPolicies')!;
    expect(data.slice(0, 10)).toBe(toFunctionSelector(setPolicies as never));
    const { functionName, args } = decodeFunctionData({ abi: functorPolicyHookAbi, data });
    expect(functionName).toBe('setPolicies');
    expect(args![0]).toBe(123n);
    expect(args![1]).toStrictEqual(toPolicies(canonical, 0n));
  });

  test('policiesOf output (as viem decodes it) → Permission', () => {
    const struct = toPolicies(canonical, 0n);
    const ret = encodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', result: struct });
    const decoded = decodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', data: ret });
    expect(fromPolicies(decoded, 0n)).toStrictEqual(canonical);
  });

  test('decoding gives the ops left: the ceiling minus the lane now, 0 once used up', () => {
    const struct = toPolicies(canonical, 40n); // ceiling 90
    expect(struct.gas.opCeiling).toBe(90);
    expect(fromPolicies(struct, 40n).gas.maxOps).toBe(50);
    expect(fromPolicies(struct, 85n).gas.maxOps).toBe(5);
    expect(fromPolicies(struct, 90n).gas.maxOps).toBe(0);
    // A key with no op left cannot be granted as is: the owner must allow at least one.
    expectPermissionError(() => toPolicies(fromPolicies(struct, 90n), 90n), 'gas.maxOps', /at least 1/);
  });

  test('spendUsage limits → spend entries', () => {
    const [limit] = toPolicies(
      {
        ...canonical,
        spend: [{ token: 'native', limit: 5n, period: { kind: 'fixed', seconds: 3600, start: 7 } }],
      },
      0n,
    ).spends;
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
      // A lane anywhere from unused to a ceiling's width below the uint32 limit.
      const seq = BigInt(Math.floor(rand() * (MAX_UINT32 - p.gas.maxOps + 1)));
      const struct = toPolicies(p, seq);
      expect(struct.gas.opCeiling).toBe(Number(seq) + p.gas.maxOps);
      expect(fromPolicies(struct, seq)).toStrictEqual(p);
      expect(toPolicies(fromPolicies(struct, seq), seq)).toStrictEqual(struct);
      const { args } = decodeFunctionData({ abi: functorPolicyHookAbi, data: encodeSetPolicies(1n, p, seq) });
      expect(fromPolicies(args![1] as PoliciesStruct, seq)).toStrictEqual(p);
    }
    // CPU-bound (500 ABI round trips): ~2 s alone, over 5 s on a loaded 2-core machine.
  }, 60_000);
});

function addr(i: number): Address {
  return getAddress(`0x${i.toString(16).padStart(40, '0')}`);
}

function randomPermission(rand: () => number): Permission {
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length - 1)]!;
  const chance = (q: number) => rand() < q;
  const bytes = (n: number): Hex => `0x${Array.from({ length: n }, () => int(255).toString(16).padStart(2, '0')).join('')}`;
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
      if (s !== '0x00000000' && s !== '0xffffffff' && !(s in MANAGEMENT_SELECTORS)) return s;
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
      period: chance(0.5) ? { kind: 'sliding', seconds: uint32() } : { kind: 'fixed', seconds: uint32(), start: int(MAX_UINT32) },
    }));
  const p: Permission = {
    calls,
    spend,
    gas: { maxFeePerGas: big(48) || 1n, maxCostPerOp: big(72) || 1n, maxOps: chance(0.1) ? MAX_UINT32 : 1 + int(1_000_000) },
  };
  if (chance(0.5)) p.rate = { maxCalls: uint32(), seconds: uint32() };
  if (chance(0.5)) p.validAfter = 1 + int(MAX_UINT48 - 2);
  if (chance(0.6)) p.expiry = (p.validAfter ?? 0) + 1 + int(MAX_UINT48 - (p.validAfter ?? 0) - 1);
  if (chance(0.5)) p.gas.budget = big(96) || 1n;
  if (chance(0.5)) p.gas.paymaster = address();
  if (chance(0.5)) p.customs = Array.from({ length: 1 + int(MAX_CUSTOMS - 1) }, address);
  return p;
}
