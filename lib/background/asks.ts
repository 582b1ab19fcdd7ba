// A permission request as the approval and the executor see it, whichever method brought it:
// ERC-7715's wallet_requestExecutionPermissions (one ask per element) or the earlier draft
// wallet_grantPermissions that viem/experimental and Porto-style dapps still send (one ask). Each
// ask knows how to answer in its own method's shape once the key is onchain.
import { getAddress, toHex, type Address } from 'viem';
import { z } from 'zod';
import { renderNote } from '../erc7715/notes.js';
import { toGrantPermissionsResponse, toPermissionResponse, type FunctorPermissionContext } from '../erc7715/response.js';
import type { ExecutionPermissionRequest, GrantPermissionsRequest } from '../erc7715/schema.js';
import { translateExecutionPermissions, translateGrantPermissions } from '../erc7715/translate.js';
import { parsePermission, type Permission, type TokenInfos } from '../permissions/index.js';
import { fromJsonSafe, toJsonSafe } from '../protocol/jsonSafe.js';

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

/** The dialects a permission request comes in: ERC-7715, or the earlier draft viem/experimental sends. */
export const DRAFT_METHOD = 'wallet_grantPermissions';

/**
 * One ask as the approval stores it: translated once, when the request arrived (with the time and
 * the chain's fee then, so the window and the grant show and enforce the same numbers), as data:
 * the permission (JSON-safe), the notes with their amounts as markers (erc7715/notes.ts), and the
 * validated request element the answer echoes.
 */
const storedAskSchema = z
  .object({
    permission: z.unknown(),
    notes: z.array(z.string()),
    type: z.string(),
    chainId: z.number(),
    to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    from: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/)
      .optional(),
    isAdjustmentAllowed: z.boolean(),
    justification: z.string().optional(),
    request: z.unknown(),
  })
  .strict();
export const permissionParamsSchema = z.object({ dialect: z.enum(['erc7715', 'draft']), asks: z.array(storedAskSchema).min(1) }).strict();
export type PermissionParams = z.infer<typeof permissionParamsSchema>;

/**
 * Translates a request once, as it arrives (`chainId`: the wallet's chain then, for the draft,
 * which names none). Throws the request's error when it cannot be granted as written.
 */
export function storeAsks(method: string, raw: unknown, o: { now: number; chainFeePerGas: bigint; chainId: number }): PermissionParams {
  const options = { now: o.now, chainFeePerGas: o.chainFeePerGas, amountMarkers: true };
  if (method === DRAFT_METHOD) {
    const g = translateGrantPermissions(raw, options);
    return {
      dialect: 'draft',
      asks: [
        {
          permission: toJsonSafe(g.permission),
          notes: g.notes,
          type: 'grant-permissions',
          chainId: g.chainId ?? o.chainId,
          to: g.to,
          ...(g.from && { from: g.from }),
          isAdjustmentAllowed: false,
          request: toJsonSafe(g.request),
        },
      ],
    };
  }
  return {
    dialect: 'erc7715',
    asks: translateExecutionPermissions(raw, options).map((t) => ({
      permission: toJsonSafe(t.permission),
      notes: t.notes,
      type: t.type,
      chainId: t.chainId,
      to: t.to,
      ...(t.from && { from: t.from }),
      isAdjustmentAllowed: t.isAdjustmentAllowed,
      ...(t.justification && { justification: t.justification }),
      request: toJsonSafe(t.request),
    })),
  };
}

/**
 * The approval's asks, from what it stored (no translating again); `tokens` writes the notes'
 * amounts in token units. Answering is a function of this data and the grant's context only.
 */
export function asksOf(a: { params?: unknown }, tokens: TokenInfos = {}): PermissionAsk[] {
  const { dialect, asks } = permissionParamsSchema.parse(a.params);
  return asks.map((x) => {
    const permission = parsePermission(fromJsonSafe(x.permission));
    const expiry = permission.expiry !== undefined ? { expiry: permission.expiry } : {};
    const request = fromJsonSafe(x.request);
    const answer = (context: FunctorPermissionContext, chainId?: number) =>
      dialect === 'draft'
        ? toGrantPermissionsResponse(
            { ...(request as GrantPermissionsRequest), ...(chainId !== undefined && { chainId: toHex(chainId) }) },
            { context, ...expiry },
          )
        : toPermissionResponse(
            { ...(request as ExecutionPermissionRequest), ...(chainId !== undefined && { chainId: toHex(chainId) }) },
            { context, ...expiry },
          );
    return {
      permission,
      notes: x.notes.map((n) => renderNote(n, tokens)),
      type: x.type,
      chainId: x.chainId,
      to: getAddress(x.to),
      ...(x.from && { from: getAddress(x.from) }),
      isAdjustmentAllowed: x.isAdjustmentAllowed,
      ...(x.justification && { justification: x.justification }),
      respond: (context) => answer(context),
      respondOn: (context) => answer(context, context.chainId),
    };
  });
}

/**
 * Approvals stored before requests were translated once (release 1's layout: the raw request, the
 * time and fee it arrived with): translated now, once, with those same numbers.
 */
export function migrateLegacyPermissionParams(a: { kind: string; method: string; params: unknown }): unknown {
  if (a.kind !== 'permissions' || permissionParamsSchema.safeParse(a.params).success) return a.params;
  const legacy = z
    .object({ request: z.unknown(), now: z.number(), chainId: z.number().optional(), chainFeePerGas: z.string().regex(/^\d+$/).transform(BigInt) })
    .safeParse(a.params);
  if (!legacy.success) return a.params;
  const { request, now, chainId, chainFeePerGas } = legacy.data;
  try {
    return storeAsks(a.method, request, { now, chainFeePerGas, chainId: chainId ?? 0 });
  } catch {
    return a.params; // cannot be granted as written: the window says so when it reads it
  }
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
