import { getAddress, maxUint256, parseEther, parseGwei, parseUnits, toHex, type Address } from 'viem';
import { mulberry32 } from '../testing/mulberry32.js';
import { describe, expect, test } from 'vitest';
import { toPolicies } from '../permissions/codec.js';
import { MAX_UINT32, MAX_UINT96 } from '../permissions/constants.js';
import { gasDefaultsFor } from '../permissions/gasDefaults.js';
import { addressWord, parsePermission, selectorOf, type Permission } from '../permissions/types.js';
import { PermissionRequestError, type PermissionRequestErrorCode } from './errors.js';
import { parseRequestExecutionPermissionsParams } from './schema.js';
import {
  LIFETIME,
  mergePermissions,
  streamSpend,
  toPermission,
  translateExecutionPermissions,
  translateGrantPermissions,
  type StreamTerms,
} from './translate.js';

const NOW = 1_795_342_800; // 2026-11-22 10:20 UTC
const DAY = 86_400;
const WEEK = 7 * DAY;
// Sepolia USDC, as in MetaMask's docs; session account and user account.
const USDC = getAddress('0x1c7d4b196cb0c7b01d743fbc6116a902379c7238');
const SESSION = getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7');
const ACCOUNT = getAddress('0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
const PAYEE = getAddress('0x2222222222222222222222222222222222222222');
const TRANSFER = selectorOf('transfer(address,uint256)');
const EXACT_INPUT_SINGLE = selectorOf('exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))');
const tokens = { [USDC.toLowerCase()]: { symbol: 'USDC', decimals: 6 } };
/** The chain's fee when the request arrived: the default gas caps derive from it. */
const CHAIN_FEE = parseGwei('1');
const opts = { now: NOW, tokens, chainFeePerGas: CHAIN_FEE };
/** The default gas caps a translation gives `p`: from its calls, rate and time bounds. */
const gasFor = (p: Permission) =>
  gasDefaultsFor({
    chainFeePerGas: CHAIN_FEE,
    calls: p.calls.length,
    ...(p.rate && { rate: p.rate }),
    ...(p.validAfter !== undefined && { validAfter: p.validAfter }),
    ...(p.expiry !== undefined && { expiry: p.expiry }),
    now: NOW,
  });
/** One call, no rate: 3 x 1 gwei, 1.2M gas of the largest kind (Kernel) at that fee, 100 ops. */
const defaultGas = { maxFeePerGas: parseGwei('3'), maxCostPerOp: parseGwei('3') * 1_200_000n, maxOps: 100 };

/**
 * What @metamask/smart-accounts-kit 2.0's `permissionRequestToRpc` puts on the wire for
 * `requestExecutionPermissions([{ chainId, from, to, expiry, permission }])`: chainId as hex,
 * amounts through toHex, startTime as a number, the expiry as a rule, `from` only when given.
 */
function kitRequest(
  type: string,
  data: Record<string, unknown>,
  { expiry = (NOW + WEEK) as number | null, from = ACCOUNT as Address | undefined, chainId = 11_155_111 } = {},
) {
  return {
    ...(from ? { from } : {}),
    chainId: toHex(chainId),
    permission: { type, data, isAdjustmentAllowed: true },
    to: SESSION,
    rules: expiry === null ? [] : [{ type: 'expiry', data: { timestamp: expiry } }],
  };
}

function refusal(f: () => unknown): PermissionRequestError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PermissionRequestError);
    return e as PermissionRequestError;
  }
  throw new Error('expected a PermissionRequestError');
}

function expectRefused(f: () => unknown, code: PermissionRequestErrorCode, field: string, reason?: RegExp) {
  const e = refusal(f);
  expect({ code: e.code, field: e.field }).toStrictEqual({ code, field });
  if (reason) expect(e.reason).toMatch(reason);
  expect(e.message).toBe(`${e.field}: ${e.reason}`);
}

/** Every translation is a Permission the codec accepts as is. */
function expectCanonical(p: Permission) {
  expect(parsePermission(p)).toStrictEqual(p);
  expect(() => toPolicies(p, 0n)).not.toThrow();
  const { budget: _, ...gas } = p.gas;
  expect(gas).toStrictEqual(gasFor(p));
}

describe('toPermission: the kit 2.0 types', () => {
  test('native-token-periodic: 0.001 ETH per day → a fixed daily period from startTime, plain transfers to anyone', () => {
    const t = toPermission(
      kitRequest('native-token-periodic', {
        periodAmount: toHex(parseEther('0.001')),
        periodDuration: DAY,
        startTime: NOW,
        justification: 'Pay for the daily newsletter',
      }),
      opts,
    );
    expect(t.permission).toStrictEqual({
      calls: [{ to: 'any', selector: 'value' }],
      spend: [{ token: 'native', limit: parseEther('0.001'), period: { kind: 'fixed', seconds: DAY, start: NOW } }],
      expiry: NOW + WEEK,
      gas: defaultGas,
    });
    expect(t).toMatchObject({
      type: 'native-token-periodic',
      exact: true,
      chainId: 11_155_111,
      to: SESSION,
      from: ACCOUNT,
      isAdjustmentAllowed: true,
      justification: 'Pay for the daily newsletter',
    });
    expect(t.notes[0]).toMatch(/^0\.001 ETH per period of 1 day from 2026-11-22 10:20 UTC: per calendar period/);
    expectCanonical(t.permission);
  });

  test('erc20-token-periodic: 10 USDC per day → only USDC.transfer, limited per period', () => {
    const t = toPermission(
      kitRequest('erc20-token-periodic', {
        tokenAddress: USDC,
        periodAmount: toHex(parseUnits('10', 6)),
        periodDuration: DAY,
        startTime: NOW + DAY,
      }),
      opts,
    );
    expect(t.permission).toStrictEqual({
      calls: [{ to: USDC, selector: TRANSFER }],
      spend: [{ token: USDC, limit: 10_000_000n, period: { kind: 'fixed', seconds: DAY, start: NOW + DAY } }],
      expiry: NOW + WEEK,
      gas: defaultGas,
    });
    expect(t.notes).toContain('Nothing can be spent before 2026-11-23 10:20 UTC');
    expectCanonical(t.permission);
  });

  test('periodic without startTime (or null) starts now; lowercase token addresses are checksummed', () => {
    for (const startTime of [undefined, null]) {
      const t = toPermission(
        kitRequest('erc20-token-periodic', {
          tokenAddress: USDC.toLowerCase(),
          periodAmount: '0x989680',
          periodDuration: WEEK,
          ...(startTime === null && { startTime }),
        }),
        opts,
      );
      expect(t.permission.spend).toStrictEqual([{ token: USDC, limit: 10_000_000n, period: { kind: 'fixed', seconds: WEEK, start: NOW } }]);
    }
  });

  test('native-token-allowance / erc20-token-allowance → a fixed period that never resets (lifetime)', () => {
    const native = toPermission(kitRequest('native-token-allowance', { allowanceAmount: toHex(parseEther('0.5')) }), opts);
    expect(native.permission.spend).toStrictEqual([{ token: 'native', limit: parseEther('0.5'), period: { kind: 'fixed', seconds: MAX_UINT32, start: NOW } }]);
    expect(native.permission.calls).toStrictEqual([{ to: 'any', selector: 'value' }]);
    expect(native.notes[0]).toBe('0.5 ETH in total, never reset');

    const erc20 = toPermission(
      kitRequest('erc20-token-allowance', {
        tokenAddress: USDC,
        allowanceAmount: toHex(50_000_000n),
        startTime: NOW + 60,
      }),
      opts,
    );
    expect(erc20.permission.spend).toStrictEqual([{ token: USDC, limit: 50_000_000n, period: { kind: 'fixed', seconds: LIFETIME, start: NOW + 60 } }]);
    expect(erc20.permission.calls).toStrictEqual([{ to: USDC, selector: TRANSFER }]);
    expectCanonical(native.permission);
    expectCanonical(erc20.permission);
  });

  test('erc20-token-stream with no initial amount and no cap: a sliding day of the stream, usable once a day has accrued', () => {
    const t = toPermission(kitRequest('erc20-token-stream', { tokenAddress: USDC, amountPerSecond: toHex(100n), startTime: NOW }), opts);
    expect(t.permission).toStrictEqual({
      calls: [{ to: USDC, selector: TRANSFER }],
      spend: [{ token: USDC, limit: 8_640_000n, period: { kind: 'sliding', seconds: DAY } }],
      validAfter: NOW + DAY,
      expiry: NOW + WEEK,
      gas: defaultGas,
    });
    expect(t.exact).toBe(false);
    expect(t.notes[0]).toMatch(/^Stream of 0\.0001 USDC per second: enforced as at most 8\.64 USDC in any 1 day/);
    expectCanonical(t.permission);
  });

  test('native-token-stream whose initial amount covers a window: usable at once', () => {
    const t = toPermission(
      kitRequest('native-token-stream', {
        initialAmount: toHex(parseEther('1')),
        amountPerSecond: toHex(parseEther('0.00001')),
        startTime: NOW,
      }),
      opts,
    );
    expect(t.permission.spend).toStrictEqual([{ token: 'native', limit: parseEther('0.864'), period: { kind: 'sliding', seconds: DAY } }]);
    expect(t.permission.validAfter).toBeUndefined();
    expect(t.permission.calls).toStrictEqual([{ to: 'any', selector: 'value' }]);
    expect(t.notes).toContain('The initial 1 ETH cannot move in one go: at most 0.864 ETH per window');
  });

  test('a stream with a cap far away ends when the cap could have been reached', () => {
    // 1 USDC per day, 30 USDC at most, no initial amount: 30 windows, the first usable after a day.
    const t = toPermission(
      kitRequest(
        'erc20-token-stream',
        { tokenAddress: USDC, amountPerSecond: toHex(10n), maxAmount: toHex(864_000n * 30n), startTime: NOW },
        { expiry: NOW + 30 * DAY },
      ),
      opts,
    );
    expect(t.permission.spend[0]!.limit).toBe(864_000n);
    expect(t.permission.validAfter).toBe(NOW + DAY);
    // 30 windows from NOW + DAY end after the request's own expiry (30 days), which stands.
    expect(t.permission.expiry).toBe(NOW + 30 * DAY);

    const capped = toPermission(
      kitRequest(
        'erc20-token-stream',
        { tokenAddress: USDC, amountPerSecond: toHex(10n), maxAmount: toHex(864_000n * 3n), startTime: NOW },
        { expiry: NOW + 30 * DAY },
      ),
      opts,
    );
    expect(capped.permission.expiry).toBe(NOW + DAY + 3 * DAY - 1);
    expect(capped.notes).toContain(`Ends 2026-11-26 10:19 UTC, when the stream's cap could have been reached`);
  });

  test('the documented example (1 USDC now, 0.1 USDC per second, 2 USDC at most) becomes a one-time allowance', () => {
    const t = toPermission(
      kitRequest('erc20-token-stream', {
        tokenAddress: USDC,
        initialAmount: toHex(parseUnits('1', 6)),
        amountPerSecond: toHex(parseUnits('0.1', 6)),
        maxAmount: toHex(parseUnits('2', 6)),
        startTime: NOW,
        justification: 'Subscription',
      }),
      opts,
    );
    expect(t.permission.spend).toStrictEqual([{ token: USDC, limit: 2_000_000n, period: { kind: 'fixed', seconds: LIFETIME, start: NOW + 10 } }]);
    expect(t.permission.validAfter).toBeUndefined();
    expect(t.notes[0]).toMatch(/one-time allowance of 2 USDC, usable from 2026-11-22 10:20 UTC/);
  });

  test('a stream started in the past needs no validAfter; the kit default max uint256 cap is no cap', () => {
    const t = toPermission(
      kitRequest('native-token-stream', {
        amountPerSecond: toHex(1_000n),
        maxAmount: toHex(maxUint256),
        startTime: NOW - 2 * DAY,
      }),
      opts,
    );
    expect(t.permission.validAfter).toBeUndefined();
    expect(t.permission.expiry).toBe(NOW + WEEK);
    expect(t.permission.spend[0]!.limit).toBe(86_400_000n);
  });

  test('streamWindow chooses the window', () => {
    const t = toPermission(kitRequest('native-token-stream', { amountPerSecond: '0x1', initialAmount: '0xe10' }), {
      ...opts,
      streamWindow: 3600,
    });
    expect(t.permission.spend[0]).toStrictEqual({
      token: 'native',
      limit: 3600n,
      period: { kind: 'sliding', seconds: 3600 },
    });
    expect(t.permission.validAfter).toBeUndefined();
  });

  test('functor-calls: targets and selectors, signatures hashed, no selector = any function, duplicates dropped', () => {
    const ROUTER = getAddress('0x3bfa4769fb09eefc5a80d6e87c3b9c650f7ae48e');
    const t = toPermission(
      kitRequest('functor-calls', {
        calls: [
          { to: USDC, selector: 'approve(address,uint256)' },
          { to: USDC, selector: '0x095EA7B3' },
          {
            to: ROUTER,
            selector:
              'function exactInputSingle((address tokenIn, address tokenOut, uint24 fee, address recipient, uint256 amountIn, uint256 amountOutMinimum, uint160 sqrtPriceLimitX96) params)',
          },
          { to: ROUTER.toLowerCase() },
          { to: 'any', selector: 'transfer(address,uint256)' },
          { to: PAYEE, selector: 'value' },
        ],
      }),
      opts,
    );
    expect(t.permission.calls).toStrictEqual([
      { to: USDC, selector: '0x095ea7b3' },
      { to: ROUTER, selector: EXACT_INPUT_SINGLE },
      { to: ROUTER, selector: 'any' },
      { to: 'any', selector: TRANSFER },
      { to: PAYEE, selector: 'value' },
    ]);
    expect(t.permission.spend).toStrictEqual([]);
    expect(t.exact).toBe(true);
    expectCanonical(t.permission);
  });

  test('no expiry rule → no expiry, and a note; null rules too', () => {
    const t = toPermission(kitRequest('native-token-allowance', { allowanceAmount: '0x1' }, { expiry: null }), opts);
    expect(t.permission.expiry).toBeUndefined();
    expect(t.notes).toContain('No expiry: the permission lasts until it is revoked');
    const n = toPermission({ ...kitRequest('native-token-allowance', { allowanceAmount: '0x1' }), rules: null }, opts);
    expect(n.permission.expiry).toBeUndefined();
  });

  test('payee on a native type: plain transfers to the payees only', () => {
    const req = kitRequest('native-token-periodic', { periodAmount: '0x2386f26fc10000', periodDuration: DAY });
    req.rules.push({ type: 'payee', data: { addresses: [PAYEE, PAYEE.toLowerCase() as Address] } } as never);
    const t = toPermission(req, opts);
    expect(t.permission.calls).toStrictEqual([{ to: PAYEE, selector: 'value' }]);
  });

  test("payee on an ERC-20 type: the token's transfer with its recipient one of the payees, onchain", () => {
    const req = kitRequest('erc20-token-periodic', { tokenAddress: USDC, periodAmount: '0x1', periodDuration: DAY });
    req.rules.push({ type: 'payee', data: { addresses: [PAYEE, PAYEE.toLowerCase() as Address] } } as never);
    const t = toPermission(req, opts);
    expect(t.permission.calls).toHaveLength(1);
    expect(t.permission.calls[0]!.selector).toBe(selectorOf('transfer(address,uint256)'));
    expect(t.permission.calls[0]!.args).toStrictEqual([{ arg: 0, op: 'oneOf', values: [addressWord(PAYEE)] }]);
    expect(t.notes).toContain(`May send only to ${PAYEE}`);
    // and it survives the codec: the hook gets the condition
    expect(toPolicies(t.permission, 0n).conditions).toHaveLength(1);
  });

  test('functor-calls with argument conditions: passed to the key as they are, refused where the hook would', () => {
    const request = (calls: unknown[]) => ({
      ...kitRequest('native-token-allowance', { allowanceAmount: '0x1' }),
      permission: { type: 'functor-calls', data: { calls } },
    });
    const payee = addressWord(PAYEE);
    const t = toPermission(
      request([{ to: USDC, selector: 'transfer(address,uint256)', args: [{ arg: 0, op: 'oneOf', values: [payee.toUpperCase().replace('0X', '0x')] }] }]),
      opts,
    );
    expect(t.permission.calls).toStrictEqual([
      { to: USDC, selector: selectorOf('transfer(address,uint256)'), args: [{ arg: 0, op: 'oneOf', values: [payee] }] },
    ]);
    expect(t.notes).toContain('Argument conditions are checked onchain on every call');
    expect(toPolicies(t.permission, 0n).conditions).toHaveLength(1);
    // on a wildcard: refused, naming the field
    expect(() => toPermission(request([{ to: 'any', selector: 'transfer(address,uint256)', args: [{ arg: 0, op: 'equal', values: [payee] }] }]), opts)).toThrow(
      /exact target and selector/,
    );
    expect(() => toPermission(request([{ to: USDC, selector: 'transfer(address,uint256)', args: [{ arg: 0, op: 'equal', values: ['0x12'] }] }]), opts)).toThrow(
      /32-byte/,
    );
  });

  test('redeemer naming the session account is accepted', () => {
    const req = kitRequest('native-token-allowance', { allowanceAmount: '0x1' });
    req.rules.push({ type: 'redeemer', data: { addresses: [SESSION] } } as never);
    expect(toPermission(req, opts).permission.spend).toHaveLength(1);
  });

  test('kits before 1.0: signer and address instead of to and from, isAdjustmentAllowed in rules', () => {
    const t = toPermission(
      {
        chainId: '0x1',
        address: ACCOUNT,
        signer: { type: 'account', data: { address: SESSION } },
        permission: {
          type: 'native-token-periodic',
          isAdjustmentAllowed: false,
          data: { periodAmount: '0x1', periodDuration: 60 },
        },
        rules: [{ type: 'expiry', isAdjustmentAllowed: false, data: { timestamp: NOW + 60 } }],
      },
      opts,
    );
    expect(t).toMatchObject({ to: SESSION, from: ACCOUNT, chainId: 1, isAdjustmentAllowed: false });
  });

  test('chainId is exposed, not checked; isAdjustmentAllowed defaults to false', () => {
    const req = kitRequest('native-token-allowance', { allowanceAmount: '0x1' }, { chainId: 8453 });
    const { isAdjustmentAllowed: _, ...permission } = req.permission;
    const t = toPermission({ ...req, permission }, opts);
    expect(t.chainId).toBe(8453);
    expect(t.isAdjustmentAllowed).toBe(false);
  });

  test('a stream that cannot be enforced as asked says so when adjustments were not allowed', () => {
    const req = kitRequest('native-token-stream', { amountPerSecond: '0x1' });
    req.permission.isAdjustmentAllowed = false;
    expect(toPermission(req, opts).notes).toContain('The dapp did not allow adjustments: what is enforced is stricter than what it asked for');
  });
});

describe('toPermission: refusals', () => {
  const periodic = (data: Record<string, unknown>) => kitRequest('native-token-periodic', { periodAmount: '0x1', periodDuration: DAY, ...data });
  const erc20 = (data: Record<string, unknown>) =>
    kitRequest('erc20-token-periodic', { tokenAddress: USDC, periodAmount: '0x1', periodDuration: DAY, ...data });
  const stream = (data: Record<string, unknown>) => kitRequest('native-token-stream', { amountPerSecond: '0x1', ...data });
  const badChecksum = '0x1C7d4B196Cb0C7B01d743Fbc6116a902379C7238';

  const cases: [string, () => unknown, PermissionRequestErrorCode, string, RegExp?][] = [
    ['amount not hex', () => toPermission(periodic({ periodAmount: '1000' }), opts), 'INVALID_PARAMS', 'permission.data.periodAmount', /0x-hex/],
    ['amount bare 0x', () => toPermission(periodic({ periodAmount: '0x' }), opts), 'INVALID_PARAMS', 'permission.data.periodAmount', /0x-hex/],
    ['amount with non-hex digits', () => toPermission(periodic({ periodAmount: '0xfg' }), opts), 'INVALID_PARAMS', 'permission.data.periodAmount', /0x-hex/],
    [
      'amount above 32 bytes',
      () => toPermission(periodic({ periodAmount: `0x1${'0'.repeat(64)}` }), opts),
      'INVALID_PARAMS',
      'permission.data.periodAmount',
      /at most 32 bytes/,
    ],
    [
      'amount as a number',
      () => toPermission(periodic({ periodAmount: 1000 }), opts),
      'INVALID_PARAMS',
      'permission.data.periodAmount',
      /expected a 0x-hex amount, got number/,
    ],
    ['amount as a bigint-like string', () => toPermission(stream({ amountPerSecond: '100n' }), opts), 'INVALID_PARAMS', 'permission.data.amountPerSecond'],
    ['zero amount', () => toPermission(periodic({ periodAmount: '0x0' }), opts), 'INVALID_PARAMS', 'permission.data.periodAmount', /0 grants nothing/],
    [
      'unlimited amount',
      () => toPermission(periodic({ periodAmount: toHex(maxUint256) }), opts),
      'INVALID_PARAMS',
      'permission.data.periodAmount',
      /unlimited amount \(max uint256\) is refused/,
    ],
    [
      'unlimited allowance',
      () => toPermission(kitRequest('erc20-token-allowance', { tokenAddress: USDC, allowanceAmount: toHex(maxUint256) }), opts),
      'INVALID_PARAMS',
      'permission.data.allowanceAmount',
      /unlimited/,
    ],
    [
      'amount above uint96',
      () => toPermission(periodic({ periodAmount: toHex(MAX_UINT96 + 1n) }), opts),
      'INVALID_PARAMS',
      'permission.data.periodAmount',
      /too large to enforce/,
    ],
    [
      'initial amount above uint96',
      () => toPermission(stream({ initialAmount: toHex(2n ** 200n) }), opts),
      'INVALID_PARAMS',
      'permission.data.initialAmount',
      /too large to enforce/,
    ],
    [
      'stream window above uint96',
      () => toPermission(stream({ amountPerSecond: toHex(MAX_UINT96 / 1000n) }), opts),
      'INVALID_PARAMS',
      'permission.data.amountPerSecond',
      /too large to enforce: 1 day of the stream/,
    ],
    ['zero rate', () => toPermission(stream({ amountPerSecond: '0x0' }), opts), 'INVALID_PARAMS', 'permission.data.amountPerSecond', /0 grants nothing/],
    ['zero cap', () => toPermission(stream({ maxAmount: '0x0' }), opts), 'INVALID_PARAMS', 'permission.data.maxAmount', /0 grants nothing/],
    [
      'cap below initial',
      () => toPermission(stream({ initialAmount: '0x10', maxAmount: '0x5' }), opts),
      'INVALID_PARAMS',
      'permission.data.maxAmount',
      /below initialAmount/,
    ],
    [
      'missing periodAmount',
      () => toPermission(kitRequest('native-token-periodic', { periodDuration: DAY }), opts),
      'INVALID_PARAMS',
      'permission.data.periodAmount',
      /^required$/,
    ],
    [
      'missing periodDuration',
      () => toPermission(kitRequest('native-token-periodic', { periodAmount: '0x1' }), opts),
      'INVALID_PARAMS',
      'permission.data.periodDuration',
      /^required$/,
    ],
    [
      'missing amountPerSecond',
      () => toPermission(kitRequest('erc20-token-stream', { tokenAddress: USDC }), opts),
      'INVALID_PARAMS',
      'permission.data.amountPerSecond',
      /^required$/,
    ],
    [
      'missing tokenAddress',
      () => toPermission(kitRequest('erc20-token-allowance', { allowanceAmount: '0x1' }), opts),
      'INVALID_PARAMS',
      'permission.data.tokenAddress',
      /^required$/,
    ],
    [
      'missing allowanceAmount',
      () => toPermission(kitRequest('native-token-allowance', {}), opts),
      'INVALID_PARAMS',
      'permission.data.allowanceAmount',
      /^required$/,
    ],
    [
      'the draft name "allowance"',
      () => toPermission(kitRequest('native-token-allowance', { allowance: '0x1' }), opts),
      'INVALID_PARAMS',
      'permission.data.allowanceAmount',
      /^required$/,
    ],
    ['missing chainId', () => toPermission({ ...periodic({}), chainId: undefined }, opts), 'INVALID_PARAMS', 'chainId', /^required$/],
    ['chainId as a number', () => toPermission({ ...periodic({}), chainId: 1 }, opts), 'INVALID_PARAMS', 'chainId', /expected a 0x-hex chain id, got number/],
    ['chainId not hex', () => toPermission({ ...periodic({}), chainId: 'sepolia' }, opts), 'INVALID_PARAMS', 'chainId', /not a 0x-hex chain id/],
    ['chainId bare 0x', () => toPermission({ ...periodic({}), chainId: '0x' }, opts), 'INVALID_PARAMS', 'chainId', /not a 0x-hex chain id/],
    ['chainId zero', () => toPermission({ ...periodic({}), chainId: '0x0' }, opts), 'INVALID_PARAMS', 'chainId', /out of range/],
    ['missing permission', () => toPermission({ ...periodic({}), permission: undefined }, opts), 'INVALID_PARAMS', 'permission', /^required$/],
    [
      'missing data',
      () => toPermission({ ...periodic({}), permission: { type: 'native-token-periodic', isAdjustmentAllowed: true } }, opts),
      'INVALID_PARAMS',
      'permission.data',
      /^required$/,
    ],
    ['missing to', () => toPermission({ ...periodic({}), to: undefined }, opts), 'INVALID_PARAMS', 'to', /required: the session account/],
    ['not an object', () => toPermission('native-token-periodic', opts), 'INVALID_PARAMS', 'params', /permission request object/],
    ['zero period', () => toPermission(periodic({ periodDuration: 0 }), opts), 'INVALID_PARAMS', 'permission.data.periodDuration', /at least 1 second/],
    ['negative period', () => toPermission(periodic({ periodDuration: -DAY }), opts), 'INVALID_PARAMS', 'permission.data.periodDuration', /at least 1 second/],
    ['fractional period', () => toPermission(periodic({ periodDuration: 1.5 }), opts), 'INVALID_PARAMS', 'permission.data.periodDuration', /whole number/],
    [
      'period as a hex string',
      () => toPermission(periodic({ periodDuration: '0x15180' }), opts),
      'INVALID_PARAMS',
      'permission.data.periodDuration',
      /expected a number of seconds, got string/,
    ],
    ['period above uint32', () => toPermission(periodic({ periodDuration: 2 ** 32 }), opts), 'INVALID_PARAMS', 'permission.data.periodDuration', /uint32/],
    ['start in milliseconds', () => toPermission(periodic({ startTime: NOW * 1000 }), opts), 'INVALID_PARAMS', 'permission.data.startTime', /uint32/],
    ['negative start', () => toPermission(periodic({ startTime: -1 }), opts), 'INVALID_PARAMS', 'permission.data.startTime', /positive/],
    [
      'unknown type',
      () => toPermission(kitRequest('native-token-transfer', {}), opts),
      'UNSUPPORTED',
      'permission.type',
      /'native-token-transfer' is not a permission type Functor grants/,
    ],
    ['revocation type', () => toPermission(kitRequest('erc20-token-revocation', {}), opts), 'UNSUPPORTED', 'permission.type', /revoking ERC-20 approvals/],
    [
      'approval revocation type',
      () => toPermission(kitRequest('token-approval-revocation', {}), opts),
      'UNSUPPORTED',
      'permission.type',
      /revoking token approvals/,
    ],
    ['prototype key as type', () => toPermission(kitRequest('constructor', {}), opts), 'UNSUPPORTED', 'permission.type'],
    ['bad checksum: to', () => toPermission({ ...periodic({}), to: badChecksum }, opts), 'INVALID_PARAMS', 'to', /checksum/],
    ['bad checksum: from', () => toPermission({ ...periodic({}), from: badChecksum }, opts), 'INVALID_PARAMS', 'from', /checksum/],
    ['bad checksum: token', () => toPermission(erc20({ tokenAddress: badChecksum }), opts), 'INVALID_PARAMS', 'permission.data.tokenAddress', /checksum/],
    ['short address', () => toPermission(erc20({ tokenAddress: '0x1234' }), opts), 'INVALID_PARAMS', 'permission.data.tokenAddress', /not an address/],
    [
      'zero token',
      () => toPermission(erc20({ tokenAddress: '0x0000000000000000000000000000000000000000' }), opts),
      'INVALID_PARAMS',
      'permission.data.tokenAddress',
      /zero address is not a token/,
    ],
    ['unknown data field', () => toPermission(periodic({ recipient: PAYEE }), opts), 'INVALID_PARAMS', 'permission.data.recipient', /unknown field/],
    ['unknown top-level field', () => toPermission({ ...periodic({}), expiry: NOW + DAY }, opts), 'INVALID_PARAMS', 'expiry', /unknown field/],
    ['to is the account itself', () => toPermission({ ...periodic({}), to: ACCOUNT }, opts), 'INVALID_PARAMS', 'to', /account itself/],
    [
      'signer disagrees with to',
      () => toPermission({ ...periodic({}), signer: { type: 'account', data: { address: PAYEE } } }, opts),
      'INVALID_PARAMS',
      'signer',
      /another account/,
    ],
    ['rules not an array', () => toPermission({ ...periodic({}), rules: { type: 'expiry' } }, opts), 'INVALID_PARAMS', 'rules', /expected an array/],
    ['rule without data', () => toPermission({ ...periodic({}), rules: [{ type: 'expiry' }] }, opts), 'INVALID_PARAMS', 'rules[0].data', /^required$/],
    [
      'rule without type',
      () => toPermission({ ...periodic({}), rules: [{ data: { timestamp: NOW + 1 } }] }, opts),
      'INVALID_PARAMS',
      'rules[0].type',
      /^required$/,
    ],
    [
      'expiry as a string',
      () => toPermission({ ...periodic({}), rules: [{ type: 'expiry', data: { timestamp: String(NOW + DAY) } }] }, opts),
      'INVALID_PARAMS',
      'rules[0].data.timestamp',
      /expected unix seconds, got string/,
    ],
    [
      'expiry missing timestamp',
      () => toPermission({ ...periodic({}), rules: [{ type: 'expiry', data: {} }] }, opts),
      'INVALID_PARAMS',
      'rules[0].data.timestamp',
      /^required$/,
    ],
    [
      'expiry fractional',
      () => toPermission({ ...periodic({}), rules: [{ type: 'expiry', data: { timestamp: NOW + 0.5 } }] }, opts),
      'INVALID_PARAMS',
      'rules[0].data.timestamp',
      /whole number/,
    ],
    ['expiry past', () => toPermission(periodic({}), { ...opts, now: NOW + WEEK }), 'INVALID_PARAMS', 'rules[0].data.timestamp', /already past/],
    [
      'two expiries',
      () =>
        toPermission(
          {
            ...periodic({}),
            rules: [
              { type: 'expiry', data: { timestamp: NOW + 10 } },
              { type: 'expiry', data: { timestamp: NOW + 20 } },
            ],
          },
          opts,
        ),
      'INVALID_PARAMS',
      'rules[1].type',
      /second 'expiry'/,
    ],
    [
      'unknown rule',
      () => toPermission({ ...periodic({}), rules: [{ type: 'allowed-calldata', data: {} }] }, opts),
      'UNSUPPORTED',
      'rules[0].type',
      /not one Functor enforces/,
    ],
    [
      'more than 16 payees on an ERC-20 type',
      () =>
        toPermission(
          {
            ...erc20({}),
            rules: [{ type: 'payee', data: { addresses: Array.from({ length: 17 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`) } }],
          },
          opts,
        ),
      'UNSUPPORTED',
      'rules[0].data.addresses',
      /at most 16 payees/,
    ],
    [
      'payee with no address',
      () => toPermission({ ...periodic({}), rules: [{ type: 'payee', data: { addresses: [] } }] }, opts),
      'INVALID_PARAMS',
      'rules[0].data.addresses',
      /empty/,
    ],
    [
      'redeemer without the session account',
      () => toPermission({ ...periodic({}), rules: [{ type: 'redeemer', data: { addresses: [PAYEE] } }] }, opts),
      'UNSUPPORTED',
      'rules[0].data.addresses',
      /must name it/,
    ],
    [
      'periodic that starts after its expiry',
      () => toPermission(periodic({ startTime: NOW + 2 * WEEK }), opts),
      'INVALID_PARAMS',
      'rules[0].data.timestamp',
      /ends before spending can start/,
    ],
    [
      'stream that expires before it accrues a window',
      () => toPermission(kitRequest('native-token-stream', { amountPerSecond: '0x1' }, { expiry: NOW + 3600 }), opts),
      'INVALID_PARAMS',
      'rules[0].data.timestamp',
      /before the stream has accrued one window/,
    ],
    ['calls empty', () => toPermission(kitRequest('functor-calls', { calls: [] }), opts), 'INVALID_PARAMS', 'permission.data.calls', /grants nothing/],
    [
      'any target and any function',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: 'any' }] }), opts),
      'INVALID_PARAMS',
      'permission.data.calls[0]',
      /any target with any function/,
    ],
    [
      'any target with a module management function',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: 'any', selector: 'installModule(uint256,address,bytes)' }] }), opts),
      'INVALID_PARAMS',
      'permission',
      /calls\[0\]: any target with installModule.*management function, is refused/,
    ],
    [
      '0xffffffff selector',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: USDC, selector: '0xffffffff' }] }), opts),
      'INVALID_PARAMS',
      'permission.data.calls[0].selector',
      /write 'any'/,
    ],
    [
      '0x00000000 selector',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: USDC, selector: '0x00000000' }] }), opts),
      'INVALID_PARAMS',
      'permission.data.calls[0].selector',
      /write 'value'/,
    ],
    [
      'bad signature type',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: USDC, selector: 'transfer(addr,uint)' }] }), opts),
      'INVALID_PARAMS',
      'permission.data.calls[0].selector',
      /not a function signature/,
    ],
    [
      'selector of 3 bytes',
      () => toPermission(kitRequest('functor-calls', { calls: [{ to: USDC, selector: '0xa9059c' }] }), opts),
      'INVALID_PARAMS',
      'permission.data.calls[0].selector',
      /4-byte selector/,
    ],
    [
      'zero target',
      () =>
        toPermission(
          kitRequest('functor-calls', {
            calls: [{ to: '0x0000000000000000000000000000000000000000', selector: 'value' }],
          }),
          opts,
        ),
      'INVALID_PARAMS',
      'permission.data.calls[0].to',
      /write 'any'/,
    ],
    [
      'too many calls',
      () =>
        toPermission(
          kitRequest('functor-calls', {
            calls: Array.from({ length: 33 }, (_, i) => ({ to: USDC, selector: toHex(i + 1, { size: 4 }) })),
          }),
          opts,
        ),
      'INVALID_PARAMS',
      'permission.data.calls',
      /more than 32/,
    ],
  ];

  test.each(cases)('%s', (_name, f, code, field, reason) => expectRefused(f, code, field, reason));

  test('errors carry the zod error as cause, and a malformed element is located by index in an array', () => {
    const e = refusal(() => toPermission(periodic({ periodAmount: 'x' }), opts));
    expect(e.cause).toBeDefined();
    expectRefused(
      () => translateExecutionPermissions([periodic({}), stream({ maxAmount: toHex(maxUint256), initialAmount: '0x' })], opts),
      'INVALID_PARAMS',
      '[1].permission.data.initialAmount',
    );
    expectRefused(() => translateExecutionPermissions([], opts), 'INVALID_PARAMS', 'params', /empty/);
    expectRefused(() => translateExecutionPermissions([periodic({}), null], opts), 'INVALID_PARAMS', '[1]');
    expectRefused(() => translateExecutionPermissions(periodic({}), opts), 'INVALID_PARAMS', 'params', /array/);
    expectRefused(() => parseRequestExecutionPermissionsParams([periodic({}), 7]), 'INVALID_PARAMS', '[1]');
  });

  test('an array of kit requests translates element by element', () => {
    const ts = translateExecutionPermissions(
      [periodic({}), kitRequest('functor-calls', { calls: [{ to: USDC, selector: 'approve(address,uint256)' }] })],
      opts,
    );
    expect(ts.map((t) => t.type)).toStrictEqual(['native-token-periodic', 'functor-calls']);
  });
});

// ---------------------------------------------------------------------------------------------
// Streams: Functor never lets out more than the stream would have
// ---------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const big = (lo: bigint, hi: bigint) => {
    const span = hi - lo + 1n;
    let x = 0n;
    for (let i = 0; i < 4; i++) x = (x << 32n) | BigInt(Math.floor(next() * 2 ** 32));
    return lo + (x % span);
  };
  return { next, int, big, pick: <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)]! };
}

/** What the stream has unlocked by t (MetaMask's streaming enforcers). */
function accrued(t: StreamTerms, at: number): bigint {
  if (at < t.start) return 0n;
  const v = t.initialAmount + t.amountPerSecond * BigInt(at - t.start);
  return t.maxAmount !== undefined && v > t.maxAmount ? t.maxAmount : v;
}

type Spend = { at: number; amount: bigint };

/** What the Functor permission still admits at `at`, read as permissively as the hook could. */
function room(p: Permission, now: number, history: Spend[], at: number): bigint {
  if (at < now || (p.validAfter !== undefined && at < p.validAfter) || (p.expiry !== undefined && at > p.expiry)) return 0n;
  const s = p.spend[0]!;
  let used = 0n;
  if (s.period.kind === 'sliding') {
    // The exact window (t − T, t]; the hook's buckets are stricter.
    for (const h of history) if (h.at > at - s.period.seconds) used += h.amount;
  } else {
    const { start, seconds } = s.period;
    if (at < start) return 0n;
    const idx = Math.floor((at - start) / seconds);
    for (const h of history) if (h.at >= start && Math.floor((h.at - start) / seconds) === idx) used += h.amount;
  }
  return s.limit - used;
}

describe('streams are enforced conservatively', () => {
  test('the proof holds at its critical points: C(a + kT) ≤ A(a + kT)', () => {
    const terms: StreamTerms = { amountPerSecond: 7n, initialAmount: 1_000n, maxAmount: 10_000_000n, start: NOW };
    const s = streamSpend(terms, 3600);
    expect(s.period).toStrictEqual({ kind: 'sliding', seconds: 3600 });
    expect(s.limit).toBe(25_200n);
    expect(s.usableFrom).toBe(NOW + Math.ceil((25_200 - 1_000) / 7));
    for (let k = 0; k < 396; k++) {
      const at = s.usableFrom + k * 3600;
      if (s.expiry !== undefined && at > s.expiry) break;
      expect(s.limit * BigInt(k + 1)).toBeLessThanOrEqual(accrued(terms, at));
    }
    expect(s.expiry).toBe(s.usableFrom + Math.floor(10_000_000 / 25_200) * 3600 - 1);
  });

  test('for random streams and a greedy agent at random and critical moments, every spend Functor admits the stream admits too', () => {
    const r = rng(7715);
    let spends = 0;
    for (let run = 0; run < 400; run++) {
      const window = r.pick([60, 3600, DAY, WEEK, r.int(1, 10 * DAY)]);
      const rate = r.pick([1n, r.big(1n, 1_000n), r.big(1n, 10n ** 12n), r.big(1n, 10n ** 18n)]);
      const initial = r.pick([0n, r.big(0n, rate * BigInt(window) * 3n)]);
      const cap = r.pick([undefined, initial + r.big(1n, rate * BigInt(window) * BigInt(r.int(1, 60)))]);
      const start = NOW + r.int(-3 * window, 3 * window);
      if (rate * BigInt(window) > MAX_UINT96 && (cap === undefined || cap > rate * BigInt(window))) continue;
      const expiry = r.next() < 0.3 ? undefined : NOW + r.int(2 * window + 1, 80 * window);
      const terms: StreamTerms = {
        amountPerSecond: rate,
        initialAmount: initial,
        start,
        ...(cap !== undefined && { maxAmount: cap }),
      };
      const data: Record<string, unknown> = {
        amountPerSecond: toHex(rate),
        startTime: start,
        initialAmount: toHex(initial),
      };
      if (cap !== undefined) data.maxAmount = toHex(cap);
      let p: Permission;
      try {
        p = toPermission(kitRequest('native-token-stream', data, { expiry }), {
          now: NOW,
          streamWindow: window,
          chainFeePerGas: CHAIN_FEE,
        }).permission;
      } catch (e) {
        // Only refusal allowed: an expiry before the first window could be used.
        expect((e as PermissionRequestError).reason).toMatch(/could never be used/);
        continue;
      }
      const s = p.spend[0]!;
      const T = s.period.seconds === LIFETIME ? window : s.period.seconds;
      const first = Math.max(NOW, p.validAfter ?? 0, s.period.kind === 'fixed' ? s.period.start : 0);
      const last = Math.min(p.expiry ?? first + 60 * T, first + 60 * T);
      // Moments: each window boundary and the seconds around it, and random ones in between.
      const moments = new Set<number>();
      for (let k = 0; first + k * T <= last; k++) for (const d of [-1, 0, 1]) moments.add(first + k * T + d);
      for (let i = 0; i < 60; i++) moments.add(r.int(first - T, last + T));
      const history: Spend[] = [];
      let spent = 0n;
      for (const at of [...moments].sort((x, y) => x - y)) {
        const admitted = room(p, NOW, history, at);
        if (admitted <= 0n) continue;
        const amount = r.next() < 0.8 ? admitted : r.big(1n, admitted);
        spent += amount;
        history.push({ at, amount });
        spends++;
        expect(spent, `run ${run} at ${at - start}s after the start`).toBeLessThanOrEqual(accrued(terms, at));
        // Literal form: within any window ending here, no more than the stream accrued by then.
        const inWindow = history.filter((h) => h.at > at - T).reduce((x, h) => x + h.amount, 0n);
        expect(inWindow).toBeLessThanOrEqual(accrued(terms, at));
      }
    }
    expect(spends).toBeGreaterThan(1_000);
  });

  test('a window limit equals one window of the stream, capped by the cap, and never exceeds uint96', () => {
    const r = rng(42);
    for (let i = 0; i < 2_000; i++) {
      const window = r.int(1, 30 * DAY);
      const rate = r.big(1n, 10n ** 20n);
      const terms: StreamTerms = {
        amountPerSecond: rate,
        initialAmount: r.big(0n, 10n ** 24n),
        start: NOW,
        ...(r.next() < 0.5 && { maxAmount: r.big(1n, 10n ** 28n) }),
      };
      if (terms.maxAmount !== undefined && terms.maxAmount < terms.initialAmount) continue;
      let s;
      try {
        s = streamSpend(terms, window);
      } catch (e) {
        expect((e as PermissionRequestError).reason).toMatch(/too large to enforce/);
        continue;
      }
      expect(s.limit).toBeLessThanOrEqual(rate * BigInt(window));
      expect(s.limit).toBeLessThanOrEqual(MAX_UINT96);
      if (terms.maxAmount !== undefined) expect(s.limit).toBeLessThanOrEqual(terms.maxAmount);
      // Usable only once the stream has accrued the whole limit.
      expect(accrued(terms, s.usableFrom)).toBeGreaterThanOrEqual(s.limit);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// mergePermissions
// ---------------------------------------------------------------------------------------------

describe('mergePermissions', () => {
  const periodic = toPermission(
    kitRequest('erc20-token-periodic', {
      tokenAddress: USDC,
      periodAmount: '0x989680',
      periodDuration: DAY,
      startTime: NOW,
    }),
    opts,
  ).permission;
  const calls = toPermission(
    kitRequest(
      'functor-calls',
      {
        calls: [
          { to: USDC, selector: 'approve(address,uint256)' },
          { to: USDC, selector: 'transfer(address,uint256)' },
        ],
      },
      { expiry: NOW + 2 * DAY },
    ),
    opts,
  ).permission;
  const stream = toPermission(kitRequest('native-token-stream', { amountPerSecond: '0x1' }, { expiry: null }), opts).permission;

  test('calls and spends unioned, the earliest expiry, the latest validAfter', () => {
    const m = mergePermissions(mergePermissions(periodic, calls), stream);
    expect(m).toStrictEqual({
      calls: [
        { to: USDC, selector: TRANSFER },
        { to: USDC, selector: selectorOf('approve(address,uint256)') },
        { to: 'any', selector: 'value' },
      ],
      spend: [...periodic.spend, ...stream.spend],
      validAfter: NOW + DAY,
      expiry: NOW + 2 * DAY,
      gas: defaultGas,
    });
  });

  test('a stream that is usable only after the other permission expires cannot be merged', () => {
    const early = { ...calls, expiry: NOW + DAY };
    expectRefused(() => mergePermissions(early, stream), 'INVALID_PARAMS', 'permission', /expiry <= validAfter/);
  });

  test('two limits on one token with the same period add up; different periods are refused', () => {
    const twice = mergePermissions(periodic, periodic);
    expect(twice.spend).toStrictEqual([{ ...periodic.spend[0]!, limit: 20_000_000n }]);
    const weekly: Permission = {
      ...periodic,
      spend: [{ ...periodic.spend[0]!, period: { kind: 'fixed', seconds: WEEK, start: NOW } }],
    };
    expectRefused(() => mergePermissions(periodic, weekly), 'INVALID_PARAMS', 'spend', /different periods/);
  });

  test('key-wide limits: the stricter of each', () => {
    const a: Permission = {
      ...calls,
      rate: { maxCalls: 10, seconds: 3600 },
      gas: { ...defaultGas, budget: 10n ** 17n },
    };
    const b: Permission = {
      ...calls,
      rate: { maxCalls: 20, seconds: DAY },
      gas: { maxFeePerGas: 1n, maxCostPerOp: defaultGas.maxCostPerOp, maxOps: 7 },
    };
    const m = mergePermissions(a, b);
    expect(m.rate).toStrictEqual({ maxCalls: 10, seconds: DAY });
    expect(m.gas).toStrictEqual({ maxFeePerGas: 1n, maxCostPerOp: defaultGas.maxCostPerOp, maxOps: 7, budget: 10n ** 17n });
    expect(m.calls).toStrictEqual(calls.calls);
  });
});

// ---------------------------------------------------------------------------------------------
// wallet_grantPermissions (viem/experimental)
// ---------------------------------------------------------------------------------------------

describe('default gas from the chain fee', () => {
  test('the fee when the request arrived sets the caps; rate x lifetime lowers the op bound', () => {
    const request = kitRequest('erc20-token-periodic', { tokenAddress: USDC, periodAmount: toHex(1n), periodDuration: DAY }, { expiry: NOW + 3 * DAY });
    const busy = toPermission(request, { ...opts, chainFeePerGas: parseGwei('40') }).permission.gas;
    expect(busy).toStrictEqual({ maxFeePerGas: parseGwei('120'), maxCostPerOp: parseGwei('120') * 1_200_000n, maxOps: 100 });
    const g = translateGrantPermissions(
      [
        {
          expiry: NOW + 3 * DAY,
          signer: { type: 'account', data: { id: SESSION } },
          permissions: [
            {
              type: 'contract-call',
              data: { address: USDC, calls: ['transfer(address,uint256)'] },
              policies: [{ type: 'rate-limit', data: { count: 2, interval: DAY } }],
              required: true,
            },
          ],
        },
      ],
      opts,
    );
    // 2 a day for 3 days: 6 ops at most, so a leaked key costs at most 6 x the per-op cap.
    expect(g.permission.gas.maxOps).toBe(6);
  });
});

describe('translateGrantPermissions', () => {
  /** What viem/experimental's grantPermissions puts on the wire (formatParameters). */
  const viemParams = (permissions: unknown[], extra: Record<string, unknown> = {}) => [
    { expiry: NOW + DAY, permissions, signer: { type: 'account', data: { id: SESSION } }, ...extra },
  ];
  const allowance = (v: bigint) => ({ type: 'token-allowance', data: { allowance: toHex(v) } });

  test('native and ERC-20 transfers with allowances, a contract call, gas and rate limits → one permission', () => {
    const ROUTER = getAddress('0x3bfa4769fb09eefc5a80d6e87c3b9c650f7ae48e');
    const t = translateGrantPermissions(
      viemParams([
        {
          type: 'native-token-transfer',
          data: { ticker: 'ETH' },
          policies: [allowance(parseEther('1'))],
          required: true,
        },
        {
          type: 'erc20-token-transfer',
          data: { address: USDC, ticker: 'USDC' },
          policies: [allowance(100_000_000n), { type: 'rate-limit', data: { count: 5, interval: 3600 } }],
          required: false,
        },
        {
          type: 'contract-call',
          data: {
            address: ROUTER,
            calls: ['exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))'],
          },
          policies: [{ type: 'gas-limit', data: { limit: toHex(parseEther('0.05')) } }],
          required: false,
        },
      ]),
      opts,
    );
    expect(t.permission).toStrictEqual({
      calls: [
        { to: 'any', selector: 'value' },
        { to: USDC, selector: TRANSFER },
        { to: ROUTER, selector: EXACT_INPUT_SINGLE },
      ],
      spend: [
        { token: 'native', limit: parseEther('1'), period: { kind: 'fixed', seconds: LIFETIME, start: NOW } },
        { token: USDC, limit: 100_000_000n, period: { kind: 'fixed', seconds: LIFETIME, start: NOW } },
      ],
      rate: { maxCalls: 5, seconds: 3600 },
      expiry: NOW + DAY,
      // Three calls: 1.2M + 2 x 25k gas per op; 5 an hour over a day allows more than 100 ops.
      gas: { ...defaultGas, maxCostPerOp: parseGwei('3') * 1_250_000n, budget: parseEther('0.05') },
    });
    expect(t).toMatchObject({ to: SESSION, exact: true });
    expect(t.chainId).toBeUndefined();
    expect(t.notes).toContain('At most 5 calls in any 1 hour, for the whole key');
    expectCanonical(t.permission);
  });

  test('ERC-7715 types inside the draft map the same way; a bare request object is accepted', () => {
    const t = translateGrantPermissions(
      {
        chainId: '0x2105',
        address: ACCOUNT,
        expiry: NOW + WEEK,
        signer: { type: 'account', data: { id: SESSION } },
        permissions: [
          {
            type: 'erc20-token-periodic',
            data: { tokenAddress: USDC, periodAmount: '0x989680', periodDuration: DAY },
            policies: [],
          },
        ],
      },
      opts,
    );
    expect(t.permission.spend).toStrictEqual([{ token: USDC, limit: 10_000_000n, period: { kind: 'fixed', seconds: DAY, start: NOW } }]);
    expect(t).toMatchObject({ chainId: 8453, from: ACCOUNT });
  });

  test('a stream with a cap in the draft shortens the expiry', () => {
    const t = translateGrantPermissions(
      viemParams(
        [
          {
            type: 'native-token-stream',
            data: { amountPerSecond: '0x1', initialAmount: toHex(86_400n), maxAmount: toHex(2n * 86_400n) },
            policies: [],
          },
        ],
        { expiry: NOW + WEEK },
      ),
      opts,
    );
    expect(t.permission.expiry).toBe(NOW + 2 * DAY - 1);
    expect(t.exact).toBe(false);
  });

  const cases: [string, () => unknown, PermissionRequestErrorCode, string, RegExp?][] = [
    [
      'no signer',
      () =>
        translateGrantPermissions(
          [
            {
              expiry: NOW + DAY,
              permissions: [{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }],
            },
          ],
          opts,
        ),
      'INVALID_PARAMS',
      '[0].signer',
      /required/,
    ],
    [
      'a wallet signer',
      () =>
        translateGrantPermissions(
          viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }], {
            signer: { type: 'wallet' },
          }),
          opts,
        ),
      'UNSUPPORTED',
      '[0].signer.type',
      /'wallet' signer/,
    ],
    [
      'a key signer',
      () =>
        translateGrantPermissions(
          viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }], {
            signer: { type: 'key', data: { id: '0x04ab' } },
          }),
          opts,
        ),
      'UNSUPPORTED',
      '[0].signer.type',
    ],
    [
      'a bad signer id',
      () =>
        translateGrantPermissions(
          viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }], {
            signer: { type: 'account', data: { id: '0x1234' } },
          }),
          opts,
        ),
      'INVALID_PARAMS',
      '[0].signer.data.id',
      /not an address/,
    ],
    [
      'no allowance on a transfer',
      () => translateGrantPermissions(viemParams([{ type: 'erc20-token-transfer', data: { address: USDC }, policies: [] }]), opts),
      'INVALID_PARAMS',
      '[0].permissions[0].policies',
      /unlimited transfer permission is refused/,
    ],
    [
      'unlimited allowance',
      () => translateGrantPermissions(viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(maxUint256)] }]), opts),
      'INVALID_PARAMS',
      '[0].permissions[0].policies[0].data.allowance',
      /unlimited/,
    ],
    [
      'allowance on a contract call',
      () =>
        translateGrantPermissions(
          viemParams([
            {
              type: 'contract-call',
              data: { address: USDC, calls: ['approve(address,uint256)'] },
              policies: [allowance(1n)],
            },
          ]),
          opts,
        ),
      'INVALID_PARAMS',
      '[0].permissions[0].policies[0].type',
      /token-allowance applies/,
    ],
    [
      'no functions',
      () => translateGrantPermissions(viemParams([{ type: 'contract-call', data: { address: USDC, calls: [] }, policies: [] }]), opts),
      'INVALID_PARAMS',
      '[0].permissions[0].data.calls',
      /empty/,
    ],
    [
      'a custom type',
      () => translateGrantPermissions(viemParams([{ type: 'wallet-swap', data: {}, policies: [] }]), opts),
      'UNSUPPORTED',
      '[0].permissions[0].type',
    ],
    [
      'a custom policy',
      () =>
        translateGrantPermissions(viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n), { type: 'spend-once', data: {} }] }]), opts),
      'UNSUPPORTED',
      '[0].permissions[0].policies[1].type',
    ],
    [
      'a zero rate',
      () =>
        translateGrantPermissions(
          viemParams([
            {
              type: 'native-token-transfer',
              data: {},
              policies: [allowance(1n), { type: 'rate-limit', data: { count: 0, interval: 60 } }],
            },
          ]),
          opts,
        ),
      'INVALID_PARAMS',
      '[0].permissions[0].policies[1].data.count',
      /at least 1/,
    ],
    [
      'expiry past',
      () => translateGrantPermissions(viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }], { expiry: NOW }), opts),
      'INVALID_PARAMS',
      '[0].expiry',
      /already past/,
    ],
    [
      'expiry missing',
      () => translateGrantPermissions(viemParams([{ type: 'native-token-transfer', data: {}, policies: [allowance(1n)] }], { expiry: undefined }), opts),
      'INVALID_PARAMS',
      '[0].expiry',
      /^required$/,
    ],
    ['no permissions', () => translateGrantPermissions(viemParams([]), opts), 'INVALID_PARAMS', '[0].permissions', /empty/],
    ['two requests', () => translateGrantPermissions([...viemParams([]), ...viemParams([])], opts), 'INVALID_PARAMS', 'params', /one grant request/],
    [
      'two allowances on one token with different periods',
      () =>
        translateGrantPermissions(
          viemParams([
            { type: 'erc20-token-transfer', data: { address: USDC }, policies: [allowance(1n)] },
            {
              type: 'erc20-token-periodic',
              data: { tokenAddress: USDC, periodAmount: '0x1', periodDuration: DAY },
              policies: [],
            },
          ]),
          opts,
        ),
      'INVALID_PARAMS',
      '[0].permissions[1].spend',
      /different periods/,
    ],
    [
      "Porto's own shape",
      () =>
        translateGrantPermissions(
          [
            {
              expiry: NOW + DAY,
              key: { publicKey: SESSION, type: 'secp256k1' },
              permissions: { calls: [{ to: USDC }], spend: [{ limit: '0x1', period: 'day', token: USDC }] },
            },
          ],
          opts,
        ),
      'UNSUPPORTED',
      '[0].permissions',
      /Porto/,
    ],
  ];

  test.each(cases)('refuses: %s', (_name, f, code, field, reason) => expectRefused(f, code, field, reason));
});
