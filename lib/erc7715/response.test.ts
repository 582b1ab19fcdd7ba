import { concatHex, encodeAbiParameters, getAddress, hexToBigInt, hexToNumber, pad, parseAbiParameters, toHex, zeroAddress, type Hex } from 'viem';
import { entryPoint07Address } from 'viem/account-abstraction';
import { describe, expect, test } from 'vitest';
import { ANY_BENEFICIARY, ROOT_AUTHORITY, decodeDelegations, encodeDelegations, type Delegation } from '@metamask/delegation-core';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';
import { MAX_UINT176 } from '../permissions/constants.js';
import { PermissionRequestError } from './errors.js';
import {
  CONTEXT_VERSION,
  decodeContext,
  encodeContext,
  sessionContextOf,
  supportedExecutionPermissions,
  toGrantPermissionsResponse,
  toPermissionResponse,
  type FunctorPermissionContext,
} from './response.js';
import { parseRevokeExecutionPermissionParams } from './schema.js';
import { toPermission, translateGrantPermissions } from './translate.js';

const NOW = 1_795_342_800;
const DAY = 86_400;
const USDC = getAddress('0x1c7d4b196cb0c7b01d743fbc6116a902379c7238');
const SESSION = getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7');
const ACCOUNT = getAddress('0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
const VALIDATOR = getAddress('0x7a11da7a11da7a11da7a11da7a11da7a11da7a11');
const HOOK = getAddress('0x400c400c400c400c400c400c400c400c400c400c');
const DM = getAddress('0xdb9b1e94b5b69df7e401ddbede43491141047db3');
const FACTORY = getAddress('0xd703aae79538628d27099b8c4f621be4ccd142d5');

const ctx: FunctorPermissionContext = {
  chainId: 11_155_111,
  account: ACCOUNT,
  keyId: 0x1234_5678_9abc_def0_1234_5678_9abc_def0_1234_5678_9abcn,
  validator: VALIDATOR,
  hook: HOOK,
  kind: 'nexus',
};

function refused(f: () => unknown, reason: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PermissionRequestError);
  expect((err as PermissionRequestError).code).toBe('INVALID_PARAMS');
  expect((err as PermissionRequestError).field).toBe('permissionContext');
  expect((err as PermissionRequestError).reason).toMatch(reason);
}

describe('context', () => {
  test('is one ERC-7710 delegation rooted at the validator, with the Functor caveat (terms: account, keyId)', () => {
    const [d, ...rest] = decodeDelegations(encodeContext({ ...ctx, delegationManager: DM }), { out: 'hex' });
    expect(rest).toHaveLength(0);
    const terms = encodeAbiParameters(parseAbiParameters('address, uint176'), [ACCOUNT, ctx.keyId]);
    expect(d).toStrictEqual({
      delegate: ANY_BENEFICIARY,
      delegator: VALIDATOR.toLowerCase(),
      authority: ROOT_AUTHORITY,
      caveats: [
        {
          enforcer: VALIDATOR.toLowerCase(),
          terms,
          args: encodeAbiParameters(parseAbiParameters('uint8, uint256, address, uint8, address'), [CONTEXT_VERSION, 11_155_111n, HOOK, 1, DM]),
        },
      ],
      salt: 0n,
      signature: terms,
    });
  });

  test('round trips for every account kind, the largest keyId and a large chain id', () => {
    for (const kind of ACCOUNT_KINDS) {
      for (const keyId of [1n, ctx.keyId, MAX_UINT176]) {
        for (const chainId of [1, 31_337, Number.MAX_SAFE_INTEGER]) {
          const c = { ...ctx, kind, keyId, chainId };
          expect(decodeContext(encodeContext(c))).toStrictEqual(c);
        }
      }
    }
    // Lowercase or checksummed input decodes to checksummed addresses.
    expect(decodeContext(encodeContext({ ...ctx, account: ACCOUNT.toLowerCase() as Hex })).account).toBe(ACCOUNT);
  });

  test('decoding refuses anything but a canonical Functor context', () => {
    const reshaped = (f: (d: Delegation<Hex>) => void) => {
      const [d] = decodeDelegations(encodeContext(ctx), { out: 'hex' });
      f(d!);
      return encodeDelegations([d!]);
    };
    const args = (version: number, chainId: bigint, kind: number) =>
      encodeAbiParameters(parseAbiParameters('uint8, uint256, address, uint8, address'), [version, chainId, HOOK, kind, zeroAddress]);
    refused(() => decodeContext(42), /not a 0x-hex string/);
    refused(() => decodeContext('0xzz'), /not a 0x-hex string/);
    refused(() => decodeContext(encodeContext(ctx).slice(0, 130)), /one ERC-7710 delegation expected/);
    refused(() => decodeContext(encodeContext(ctx).slice(0, -64)), /not canonically encoded/);
    refused(() => decodeContext(`${encodeContext(ctx)}00`), /not canonically encoded/);
    refused(() => decodeContext(encodeDelegations([])), /one delegation expected/);
    refused(() => decodeContext(reshaped((d) => void (d.caveats = []))), /its one caveat is the validator/);
    refused(() => decodeContext(reshaped((d) => void (d.caveats[0]!.enforcer = HOOK))), /its one caveat is the validator/);
    refused(() => decodeContext(reshaped((d) => void (d.caveats[0]!.args = args(1, 1n, 1)))), /unknown context version 1/);
    refused(() => decodeContext(reshaped((d) => void (d.caveats[0]!.args = args(CONTEXT_VERSION, 0n, 1)))), /chain id out of range/);
    refused(() => decodeContext(reshaped((d) => void (d.caveats[0]!.args = args(CONTEXT_VERSION, 1n, 3)))), /unknown account kind 3/);
    refused(
      () => decodeContext(reshaped((d) => void (d.caveats[0]!.terms = encodeAbiParameters(parseAbiParameters('address, uint256'), [ACCOUNT, 0n])))),
      /keyId 0/,
    );
    // A keyId above uint176, an address with dirty high bits: refused by the byte comparison.
    refused(
      () => decodeContext(reshaped((d) => void (d.caveats[0]!.terms = concatHex([pad(ACCOUNT), toHex(MAX_UINT176 + 1n, { size: 32 })])))),
      /not canonically encoded/,
    );
    refused(
      () => decodeContext(reshaped((d) => void (d.caveats[0]!.terms = concatHex(['0x01', pad(ACCOUNT, { size: 31 }), pad(toHex(ctx.keyId))])))),
      /not canonically encoded/,
    );
    // Another delegate, salt or signature than the wallet's: not the delegation FunctorValidator signs for.
    refused(() => decodeContext(reshaped((d) => void (d.delegate = SESSION))), /not canonically encoded/);
    refused(() => decodeContext(reshaped((d) => void (d.salt = 1n))), /not canonically encoded/);
    refused(() => decodeContext(reshaped((d) => void (d.signature = '0x'))), /not canonically encoded/);
  });

  test('encoding refuses what could not be decoded', () => {
    expect(() => encodeContext({ ...ctx, keyId: 0n })).toThrow(RangeError);
    expect(() => encodeContext({ ...ctx, keyId: MAX_UINT176 + 1n })).toThrow(RangeError);
    expect(() => encodeContext({ ...ctx, chainId: 0 })).toThrow(RangeError);
    expect(() => encodeContext({ ...ctx, kind: 'argent' as never })).toThrow(RangeError);
  });

  test('gives the agent its session context (EntryPoint v0.7): the module that validates its ops is the hook', () => {
    expect(sessionContextOf(decodeContext(encodeContext(ctx)))).toStrictEqual({
      kind: 'nexus',
      account: ACCOUNT,
      keyId: ctx.keyId,
      module: HOOK,
      entryPoint: entryPoint07Address,
    });
  });
});

describe('toPermissionResponse', () => {
  const request = {
    chainId: '0xaa36a7',
    to: SESSION,
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: true,
      data: { tokenAddress: USDC, periodAmount: '0x989680', periodDuration: DAY, justification: 'Daily allowance' },
    },
    rules: [{ type: 'expiry', data: { timestamp: NOW + 7 * DAY } }],
  };

  test('the granted request plus context, from, dependencies and delegationManager', () => {
    const t = toPermission(request, { now: NOW, chainFeePerGas: 1_000_000_000n });
    const r = toPermissionResponse(t.request, { context: ctx });
    expect(r).toStrictEqual({
      chainId: '0xaa36a7',
      from: ACCOUNT,
      to: SESSION,
      permission: request.permission,
      rules: request.rules,
      context: encodeContext(ctx),
      dependencies: [],
      delegationManager: VALIDATOR,
    });
    // What the kit does with it (permissionResponsesFromRpc): hex to numbers and bigints.
    expect(hexToNumber(r.chainId)).toBe(11_155_111);
    expect(hexToBigInt(r.permission.data.periodAmount as Hex)).toBe(10_000_000n);
    expect(decodeContext(r.context)).toStrictEqual(ctx);
    // A plain JSON value: it crosses the page boundary.
    expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
  });

  test('names the chain’s DelegationManager (ERC-7710) when the context has one', () => {
    const t = toPermission(request, { now: NOW, chainFeePerGas: 1_000_000_000n });
    const r = toPermissionResponse(t.request, { context: { ...ctx, delegationManager: DM } });
    expect(r.delegationManager).toBe(DM);
    expect(decodeContext(r.context).delegationManager).toBe(DM);
  });

  test('an undeployed account lists its factory; the delegation manager can be set; the enforced expiry is reported', () => {
    const t = toPermission({ ...request, rules: null }, { now: NOW, chainFeePerGas: 1_000_000_000n });
    const r = toPermissionResponse(t.request, {
      context: ctx,
      deployment: { factory: FACTORY, factoryData: '0xabcdef' },
      delegationManager: zeroAddress,
      expiry: NOW + DAY,
    });
    expect(r.dependencies).toStrictEqual([{ factory: FACTORY, factoryData: '0xabcdef' }]);
    expect(r.delegationManager).toBe(zeroAddress);
    expect(r.rules).toStrictEqual([{ type: 'expiry', data: { timestamp: NOW + DAY } }]);
    const replaced = toPermissionResponse(toPermission(request, { now: NOW, chainFeePerGas: 1_000_000_000n }).request, {
      context: ctx,
      expiry: NOW + DAY,
    });
    expect(replaced.rules).toStrictEqual([{ type: 'expiry', data: { timestamp: NOW + DAY } }]);
    // The request is not modified.
    expect(request.rules[0]!.data.timestamp).toBe(NOW + 7 * DAY);
  });

  test('kits before 1.0 get their signer back and the account as address', () => {
    const legacy = {
      chainId: '0xaa36a7',
      address: null,
      signer: { type: 'account' as const, data: { address: SESSION } },
      permission: { type: 'native-token-allowance', isAdjustmentAllowed: false, data: { allowanceAmount: '0x1' } },
      rules: [],
    };
    const r = toPermissionResponse(toPermission(legacy, { now: NOW, chainFeePerGas: 1_000_000_000n }).request, { context: ctx });
    expect(r).toMatchObject({ to: SESSION, from: ACCOUNT, address: ACCOUNT, signer: legacy.signer });
  });

  test('a context for another chain is a caller bug', () => {
    const t = toPermission(request, { now: NOW, chainFeePerGas: 1_000_000_000n });
    expect(() => toPermissionResponse(t.request, { context: { ...ctx, chainId: 1 } })).toThrow(/chain 1/);
  });
});

describe('toGrantPermissionsResponse (the earlier draft)', () => {
  const params = [
    {
      expiry: NOW + DAY,
      permissions: [
        {
          type: 'native-token-transfer',
          data: { ticker: 'ETH' },
          policies: [{ type: 'token-allowance', data: { allowance: '0xde0b6b3a7640000' } }],
          required: false,
        },
      ],
      signer: { type: 'account', data: { id: SESSION } },
    },
  ];

  test('{ expiry, grantedPermissions, permissionsContext }, factory data when not deployed', () => {
    const t = translateGrantPermissions(params, { now: NOW, chainFeePerGas: 1_000_000_000n });
    expect(toGrantPermissionsResponse(t.request, { context: ctx })).toStrictEqual({
      expiry: NOW + DAY,
      grantedPermissions: params[0]!.permissions,
      permissionsContext: encodeContext(ctx),
    });
    const undeployed = toGrantPermissionsResponse(t.request, {
      context: ctx,
      deployment: { factory: FACTORY, factoryData: '0x01' },
      expiry: NOW + 3600,
    });
    expect(undeployed).toMatchObject({ factory: FACTORY, factoryData: '0x01', expiry: NOW + 3600 });
    // viem's formatRequest reads the allowance back with BigInt.
    expect(BigInt(undeployed.grantedPermissions[0]!.policies[0]!.data.allowance as string)).toBe(10n ** 18n);
  });

  test('names the chain’s DelegationManager (ERC-7710) when the context has one', () => {
    const t = translateGrantPermissions(params, { now: NOW, chainFeePerGas: 1_000_000_000n });
    expect(toGrantPermissionsResponse(t.request, { context: { ...ctx, delegationManager: DM } }).delegationManager).toBe(DM);
    expect(toGrantPermissionsResponse(t.request, { context: ctx })).not.toHaveProperty('delegationManager');
  });
});

describe('wallet_getSupportedExecutionPermissions and wallet_revokeExecutionPermission', () => {
  test('every type on every chain, with the rules it accepts', () => {
    const s = supportedExecutionPermissions([1, 11_155_111]);
    expect(Object.keys(s).sort()).toStrictEqual(
      [
        'erc20-token-allowance',
        'erc20-token-periodic',
        'erc20-token-stream',
        'functor-calls',
        'native-token-allowance',
        'native-token-periodic',
        'native-token-stream',
      ].sort(),
    );
    expect(s['native-token-periodic']).toStrictEqual({ chainIds: ['0x1', '0xaa36a7'], ruleTypes: ['expiry', 'payee'] });
    expect(s['erc20-token-stream'].ruleTypes).toStrictEqual(['expiry', 'payee']);
    expect(s['functor-calls'].ruleTypes).toStrictEqual(['expiry']);
  });

  test('revoke takes { permissionContext } or a one-element array of it', () => {
    const permissionContext = encodeContext(ctx);
    expect(parseRevokeExecutionPermissionParams({ permissionContext })).toStrictEqual({ permissionContext });
    expect(parseRevokeExecutionPermissionParams([{ permissionContext }])).toStrictEqual({ permissionContext });
    for (const [bad, field] of [
      [[], 'params'],
      [[{ permissionContext }, { permissionContext }], 'params'],
      [{}, 'permissionContext'],
      [{ permissionContext: 'abc' }, 'permissionContext'],
      [{ permissionContext: '0xabc' }, 'permissionContext'],
      [[{ permissionContext, extra: 1 }], '[0].extra'],
    ] as const) {
      let err: unknown;
      try {
        parseRevokeExecutionPermissionParams(bad);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(PermissionRequestError);
      expect((err as PermissionRequestError).field).toBe(field);
    }
  });
});
