// A permission request as the approval and the executor see it, whichever method brought it:
// ERC-7715's wallet_requestExecutionPermissions (one ask per element) or the earlier draft
// wallet_grantPermissions that viem/experimental and Porto-style dapps still send (one ask). Each
// ask knows how to answer in its own method's shape once the key is onchain.
import { toHex, type Address } from 'viem';
import { z } from 'zod';
import { toGrantPermissionsResponse, toPermissionResponse, type FunctorPermissionContext } from '../erc7715/response.js';
import { translateExecutionPermissions, translateGrantPermissions } from '../erc7715/translate.js';
import type { Permission, TokenInfos } from '../permissions/index.js';
import type { Approval } from './approvals.js';

export type PermissionAsk = {
  permission: Permission;
  notes: string[];
  /** The ERC-7715 type (or 'grant-permissions' for the draft): grants of one type may renew each other. */
  type: string;
  chainId: number;
  to: Address;
  from?: Address;
  isAdjustmentAllowed: boolean;
  justification?: string;
  /** The answer element for one account, with the expiry actually enforced. */
  respond: (context: FunctorPermissionContext) => Answer;
  /** The answer element for the same key granted on another chain (the request, with that chain's id). */
  respondOn: (context: FunctorPermissionContext) => Answer;
};
type Answer = Record<string, unknown> & { context?: `0x${string}`; permissionsContext?: `0x${string}` };

/**
 * `chainFeePerGas`: the chain's maxFeePerGas when the request arrived (decimal wei, JSON-safe),
 * from which the default gas caps derive: translating again gives the caps the window showed.
 */
export const permissionParamsSchema = z.object({
  request: z.unknown(),
  now: z.number(),
  chainId: z.number().optional(),
  chainFeePerGas: z.string().regex(/^\d+$/, 'decimal wei').transform(BigInt),
});

export const DRAFT_METHOD = 'wallet_grantPermissions';

/** The approval's request, translated again with the time it arrived (same numbers as shown). */
export function asksOf(a: Approval, tokens?: TokenInfos): PermissionAsk[] {
  const { request, now, chainId, chainFeePerGas } = permissionParamsSchema.parse(a.params);
  const options = { now, chainFeePerGas, ...(tokens && { tokens }) };
  if (a.method === DRAFT_METHOD) {
    const g = translateGrantPermissions(request, options);
    return [
      {
        permission: g.permission,
        notes: g.notes,
        type: 'grant-permissions',
        // viem's draft names no chain: the wallet's chain when it was asked.
        chainId: g.chainId ?? chainId ?? 0,
        to: g.to,
        ...(g.from && { from: g.from }),
        isAdjustmentAllowed: false,
        respond: (context) => toGrantPermissionsResponse(g.request, { context, ...(g.permission.expiry !== undefined && { expiry: g.permission.expiry }) }),
        respondOn: (context) =>
          toGrantPermissionsResponse(
            { ...g.request, chainId: toHex(context.chainId) },
            { context, ...(g.permission.expiry !== undefined && { expiry: g.permission.expiry }) },
          ),
      },
    ];
  }
  return translateExecutionPermissions(request, options).map((t) => ({
    permission: t.permission,
    notes: t.notes,
    type: t.type,
    chainId: t.chainId,
    to: t.to,
    ...(t.from && { from: t.from }),
    isAdjustmentAllowed: t.isAdjustmentAllowed,
    ...(t.justification && { justification: t.justification }),
    respond: (context) => toPermissionResponse(t.request, { context, ...(t.permission.expiry !== undefined && { expiry: t.permission.expiry }) }),
    respondOn: (context) =>
      toPermissionResponse(
        { ...t.request, chainId: toHex(context.chainId) },
        { context, ...(t.permission.expiry !== undefined && { expiry: t.permission.expiry }) },
      ),
  }));
}

/** The context an answer element carries, under either method's name. */
export const contextOfAnswer = (r: { context?: `0x${string}`; permissionsContext?: `0x${string}` }) => (r.context ?? r.permissionsContext)!;

/** Applies the user's lowered limits; raising one, or lowering when the dapp forbade it, is refused. */
export function applyLimits(ts: PermissionAsk[], limits: string[][] | undefined): PermissionAsk[] {
  if (!limits) return ts;
  return ts.map((t, i) => {
    const mine = limits[i];
    if (!mine) return t;
    const spend = t.permission.spend.map((s, j) => {
      if (mine[j] === undefined) return s;
      const v = BigInt(mine[j]!);
      if (v === s.limit) return s;
      if (!t.isAdjustmentAllowed) throw new Error('The site does not allow its amounts to be changed');
      if (v > s.limit) throw new Error('An amount can only be lowered, not raised above what the site asked');
      if (v === 0n) throw new Error('An amount of 0 would make the permission useless: reject it instead');
      return { ...s, limit: v };
    });
    return { ...t, permission: { ...t.permission, spend } };
  });
}
