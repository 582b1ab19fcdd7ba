// The answers to ERC-7715 requests, and the `context` they carry: everything an agent needs to act
// with the permission (which chain, which account, which keyId, which modules, which account kind).
//
// The context is what MetaMask's DelegationManager redeems (ERC-7710, DESIGN 2.3): the ABI encoding
// of one Delegation, rooted at FunctorValidator, whose one caveat (FunctorValidator again) has the
// terms abi.encode(account, keyId) and, as args, the rest the agent needs. `delegationManager` in the
// answer is that chain's DelegationManager (the kit refuses any other), or FunctorValidator where
// the chain has none: a redemption sent there reverts (no such function), where the zero address
// would "succeed" silently.
import { decodeAbiParameters, encodeAbiParameters, getAddress, isHex, numberToHex, parseAbiParameters, zeroAddress, type Address, type Hex } from 'viem';
import { ANY_BENEFICIARY, ROOT_AUTHORITY, decodeDelegations, encodeDelegations, type Delegation } from '@metamask/delegation-core';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';
import type { FunctorPermissionContext } from '../permissions/context.js';
import { MAX_UINT176 } from '../permissions/constants.js';
import { invalid } from './errors.js';
import type { ExecutionPermissionRequest, ExecutionPermissionRule, GrantPermissionsRequest, PermissionType } from './schema.js';

// ---------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------

export const CONTEXT_VERSION = 2;

// The context's shape and the session's part of it belong to the permissions domain, which the
// agent reads too; re-exported here beside their encoding, where callers look for them.
export { type FunctorPermissionContext, sessionContextOf } from '../permissions/context.js';

/** The Functor caveat's terms: what FunctorValidator binds (and the delegation's "signature"). */
const TERMS_ABI = parseAbiParameters('address account, uint176 keyId');
/** The Functor caveat's args: what the agent needs besides (not read onchain). */
const ARGS_ABI = parseAbiParameters('uint8 version, uint256 chainId, address hook, uint8 accountKind, address delegationManager');

/** One Functor delegation (contracts/src/FunctorValidator.sol isValidSignature pins this shape). */
export function encodeContext(c: FunctorPermissionContext): Hex {
  if (!Number.isSafeInteger(c.chainId) || c.chainId <= 0) throw new RangeError('chainId: not a chain id');
  if (c.keyId <= 0n || c.keyId > MAX_UINT176) throw new RangeError('keyId: not a uint176 keyId');
  const kind = ACCOUNT_KINDS.indexOf(c.kind);
  if (kind < 0) throw new RangeError(`kind: not one of ${ACCOUNT_KINDS.join(', ')}`);
  const terms = encodeAbiParameters(TERMS_ABI, [c.account, c.keyId]);
  const args = encodeAbiParameters(ARGS_ABI, [CONTEXT_VERSION, BigInt(c.chainId), c.hook, kind, c.delegationManager ?? zeroAddress]);
  return encodeDelegations([
    {
      delegate: ANY_BENEFICIARY,
      delegator: c.validator,
      authority: ROOT_AUTHORITY,
      caveats: [{ enforcer: c.validator, terms, args }],
      salt: 0n,
      signature: terms,
    },
  ]);
}

/**
 * The inverse of encodeContext, for contexts that come back from dapps and agents
 * (`wallet_revokeExecutionPermission`): anything but a canonical Functor context is refused with
 * INVALID_PARAMS.
 */
export function decodeContext(context: unknown, field = 'permissionContext'): FunctorPermissionContext {
  if (typeof context !== 'string' || !isHex(context, { strict: true })) throw invalid(field, 'not a 0x-hex string');
  let delegations: Delegation<Hex>[];
  try {
    delegations = decodeDelegations(context, { out: 'hex' });
  } catch {
    throw invalid(field, 'not a Functor permission context (one ERC-7710 delegation expected)');
  }
  const [d] = delegations;
  if (delegations.length !== 1 || !d) throw invalid(field, 'not a Functor permission context (one delegation expected)');
  const [caveat] = d.caveats;
  if (d.caveats.length !== 1 || !caveat || caveat.enforcer.toLowerCase() !== d.delegator.toLowerCase()) {
    throw invalid(field, 'not a Functor permission context (its one caveat is the validator)');
  }
  let account: Address, keyId: bigint, version: number, chainId: bigint, hook: Address, kind: number, delegationManager: Address;
  try {
    [account, keyId] = decodeAbiParameters(TERMS_ABI, caveat.terms);
    [version, chainId, hook, kind, delegationManager] = decodeAbiParameters(ARGS_ABI, caveat.args);
  } catch {
    throw invalid(field, 'not a Functor permission context (terms or args unreadable)');
  }
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
    validator: getAddress(d.delegator),
    hook: getAddress(hook),
    kind: accountKind,
    ...(delegationManager !== zeroAddress && { delegationManager: getAddress(delegationManager) }),
  };
  // Dirty high bits in a word, another delegate, authority, salt or signature: compare bytes.
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
  /** Default: the context's DelegationManager, else the FunctorValidator (see the header). */
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
  { context, deployment, delegationManager, expiry }: PermissionResponseOptions,
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
    delegationManager: delegationManager ?? context.delegationManager ?? context.validator,
  };
  if (request.signer) out.signer = { type: 'account', data: { address: request.signer.data.address } };
  if (request.address !== undefined) out.address = context.account;
  return out;
}

/** `wallet_getSupportedExecutionPermissions`: every type on every chain given, with its rules. */
export function supportedExecutionPermissions(chainIds: readonly number[]): Record<PermissionType, { chainIds: Hex[]; ruleTypes: string[] }> {
  const chains = chainIds.map((c) => numberToHex(c));
  const entry = (ruleTypes: string[]) => ({ chainIds: [...chains], ruleTypes });
  // `redeemer` is accepted only when it names the session account: not advertised.
  return {
    'native-token-periodic': entry(['expiry', 'payee']),
    'native-token-stream': entry(['expiry', 'payee']),
    'native-token-allowance': entry(['expiry', 'payee']),
    // ERC-20 payees are an argument condition on the token's transfer, enforced onchain
    'erc20-token-periodic': entry(['expiry', 'payee']),
    'erc20-token-stream': entry(['expiry', 'payee']),
    'erc20-token-allowance': entry(['expiry', 'payee']),
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
  /** The chain's DelegationManager, which redeems `permissionsContext` (ERC-7710), when it has one. */
  delegationManager?: Address;
};

/** `{ expiry, grantedPermissions, permissionsContext }`, plus factory data when not deployed. */
export function toGrantPermissionsResponse(
  request: GrantPermissionsRequest,
  { context, deployment, expiry }: Omit<PermissionResponseOptions, 'delegationManager'>,
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
    // The draft has no field for it; kits that redeem (ERC-7710) read this name.
    ...(context.delegationManager && { delegationManager: context.delegationManager }),
  };
}
