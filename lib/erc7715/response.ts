// The answers to ERC-7715 requests, and the `context` they carry: everything an agent needs to act
// with the permission (which chain, which account, which keyId, which modules, which account kind).
//
// `delegationManager`: ERC-7710 names the contract a redeemer calls `redeemDelegations` on, and
// the kit requires the field. Functor has no delegation manager; we answer the FunctorValidator's
// address (callers may pass another, e.g. the ERC-7710 executor of DESIGN 2.3 once it exists):
// - it is the contract that decides whether the session key may act, so it names the real
//   authority behind the grant, and it has the same address on every chain (CREATE2);
// - a dapp that tries to redeem through it anyway gets a revert (no such function), where the
//   zero address would "succeed" silently: a call to an address without code returns success.
import {
  decodeAbiParameters,
  encodeAbiParameters,
  getAddress,
  isHex,
  numberToHex,
  parseAbiParameters,
  type Address,
  type Hex,
} from 'viem';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';
import type { FunctorPermissionContext } from '../permissions/context.js';
import { MAX_UINT176 } from '../permissions/constants.js';
import { invalid } from './errors.js';
import type {
  ExecutionPermissionRequest,
  ExecutionPermissionRule,
  GrantPermissionsRequest,
  PermissionType,
} from './schema.js';

// ---------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------

export const CONTEXT_VERSION = 1;

// The context's shape and the session's part of it belong to the permissions domain, which the
// agent reads too; re-exported here beside their encoding, where callers look for them.
export { type FunctorPermissionContext, sessionContextOf } from '../permissions/context.js';

const CONTEXT_ABI = parseAbiParameters(
  'uint8 version, uint256 chainId, address account, uint176 keyId, address validator, address hook, uint8 accountKind'
);
const CONTEXT_BYTES = CONTEXT_ABI.length * 32;

/** `abi.encode(uint8 version, uint256 chainId, address account, uint176 keyId, address validator, address hook, uint8 accountKind)`. */
export function encodeContext(c: FunctorPermissionContext): Hex {
  if (!Number.isSafeInteger(c.chainId) || c.chainId <= 0) throw new RangeError('chainId: not a chain id');
  if (c.keyId <= 0n || c.keyId > MAX_UINT176) throw new RangeError('keyId: not a uint176 keyId');
  const kind = ACCOUNT_KINDS.indexOf(c.kind);
  if (kind < 0) throw new RangeError(`kind: not one of ${ACCOUNT_KINDS.join(', ')}`);
  return encodeAbiParameters(CONTEXT_ABI, [
    CONTEXT_VERSION,
    BigInt(c.chainId),
    c.account,
    c.keyId,
    c.validator,
    c.hook,
    kind,
  ]);
}

/**
 * The inverse of encodeContext, for contexts that come back from dapps and agents
 * (`wallet_revokeExecutionPermission`): anything but a canonical version-1 encoding is refused
 * with INVALID_PARAMS.
 */
export function decodeContext(context: unknown, field = 'permissionContext'): FunctorPermissionContext {
  if (typeof context !== 'string' || !isHex(context, { strict: true })) throw invalid(field, 'not a 0x-hex string');
  if ((context.length - 2) / 2 !== CONTEXT_BYTES) {
    throw invalid(field, `not a Functor permission context (${CONTEXT_BYTES} bytes expected)`);
  }
  const [version, chainId, account, keyId, validator, hook, kind] = decodeAbiParameters(CONTEXT_ABI, context);
  if (version !== CONTEXT_VERSION) throw invalid(field, `unknown context version ${version}`);
  if (chainId === 0n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(field, 'chain id out of range');
  if (keyId === 0n) throw invalid(field, 'keyId 0');
  if (keyId > MAX_UINT176) throw invalid(field, 'not canonically encoded (keyId above uint176)');
  const accountKind = ACCOUNT_KINDS[kind];
  if (accountKind === undefined) throw invalid(field, `unknown account kind ${kind}`);
  const out: FunctorPermissionContext = {
    chainId: Number(chainId),
    account: getAddress(account),
    keyId,
    validator: getAddress(validator),
    hook: getAddress(hook),
    kind: accountKind,
  };
  // Dirty high bits in a word (an address, a uint8, a uint176) decode silently: compare bytes.
  if (encodeContext(out).toLowerCase() !== context.toLowerCase()) throw invalid(field, 'not canonically encoded');
  return out;
}

// ---------------------------------------------------------------------------------------------
// wallet_requestExecutionPermissions
// ---------------------------------------------------------------------------------------------

/** ERC-4337 factory data of an account that is not deployed yet. */
export type Deployment = { factory: Address; factoryData: Hex };

export type PermissionResponseOptions = {
  context: FunctorPermissionContext;
  /** Set when the account is not deployed yet: the answer lists it as a dependency. */
  deployment?: Deployment;
  /** Default: the FunctorValidator (see the header). */
  delegationManager?: Address;
  /** The expiry actually enforced, when it differs from the request's (a stream's cap). */
  expiry?: number;
};

export type PermissionResponse = {
  chainId: Hex;
  from: Address;
  to: Address;
  permission: { type: string; isAdjustmentAllowed: boolean; data: Record<string, unknown> };
  rules: ExecutionPermissionRule[];
  context: Hex;
  dependencies: Deployment[];
  delegationManager: Address;
  /** Echoed for kits before 1.0, which sent it. */
  signer?: { type: 'account'; data: { address: Address } };
  address?: Address;
};

/**
 * One answer element: the granted request (as the dapp sent it, with `from` set to the account,
 * and the expiry rule set to what is enforced) plus `context`, `dependencies` and
 * `delegationManager`. The kit requires `chainId` and `permission` and passes the rest through.
 */
export function toPermissionResponse(
  request: ExecutionPermissionRequest,
  { context, deployment, delegationManager, expiry }: PermissionResponseOptions
): PermissionResponse {
  if (BigInt(request.chainId) !== BigInt(context.chainId)) {
    throw new Error(`the context is for chain ${context.chainId}, the request for ${BigInt(request.chainId)}`);
  }
  const to = request.to ?? request.signer?.data.address;
  if (!to) throw new Error('the request names no session account');
  const rules = (request.rules ?? []).map((r) => ({ ...r, data: { ...r.data } }));
  if (expiry !== undefined) {
    const i = rules.findIndex((r) => r.type === 'expiry');
    if (i >= 0) rules[i]!.data.timestamp = expiry;
    else rules.push({ type: 'expiry', data: { timestamp: expiry } });
  }
  const out: PermissionResponse = {
    chainId: request.chainId as Hex,
    from: context.account,
    to,
    permission: {
      type: request.permission.type,
      isAdjustmentAllowed: request.permission.isAdjustmentAllowed ?? false,
      data: { ...request.permission.data },
    },
    rules,
    context: encodeContext(context),
    dependencies: deployment ? [{ factory: deployment.factory, factoryData: deployment.factoryData }] : [],
    delegationManager: delegationManager ?? context.validator,
  };
  if (request.signer) out.signer = { type: 'account', data: { address: request.signer.data.address } };
  if (request.address !== undefined) out.address = context.account;
  return out;
}

/** `wallet_getSupportedExecutionPermissions`: every type on every chain given, with its rules. */
export function supportedExecutionPermissions(
  chainIds: readonly number[]
): Record<PermissionType, { chainIds: Hex[]; ruleTypes: string[] }> {
  const chains = chainIds.map((c) => numberToHex(c));
  const entry = (ruleTypes: string[]) => ({ chainIds: [...chains], ruleTypes });
  // `redeemer` is accepted only when it names the session account: not advertised.
  return {
    'native-token-periodic': entry(['expiry', 'payee']),
    'native-token-stream': entry(['expiry', 'payee']),
    'native-token-allowance': entry(['expiry', 'payee']),
    'erc20-token-periodic': entry(['expiry']),
    'erc20-token-stream': entry(['expiry']),
    'erc20-token-allowance': entry(['expiry']),
    'functor-calls': entry(['expiry']),
  };
}

// ---------------------------------------------------------------------------------------------
// wallet_grantPermissions (the earlier draft)
// ---------------------------------------------------------------------------------------------

export type GrantPermissionsResponse = {
  expiry: number;
  grantedPermissions: GrantPermissionsRequest['permissions'];
  permissionsContext: Hex;
  factory?: Address;
  factoryData?: Hex;
};

/** `{ expiry, grantedPermissions, permissionsContext }`, plus factory data when not deployed. */
export function toGrantPermissionsResponse(
  request: GrantPermissionsRequest,
  { context, deployment, expiry }: Omit<PermissionResponseOptions, 'delegationManager'>
): GrantPermissionsResponse {
  if (request.chainId !== undefined && BigInt(request.chainId) !== BigInt(context.chainId)) {
    throw new Error(`the context is for chain ${context.chainId}, the request for ${BigInt(request.chainId)}`);
  }
  return {
    expiry: expiry ?? request.expiry,
    grantedPermissions: request.permissions.map((p) => ({
      ...p,
      data: { ...p.data },
      policies: p.policies.map((q) => ({ ...q, data: { ...q.data } })),
    })),
    permissionsContext: encodeContext(context),
    ...(deployment && { factory: deployment.factory, factoryData: deployment.factoryData }),
  };
}
