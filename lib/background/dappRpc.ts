// What a page may ask, per method: parse the params at the boundary, check the site's connection,
// and answer with the EIP-1193 error each failure deserves. Requests that need the user open an
// approval window and wait for its answer.
import { getAddress, isAddress, type Address } from 'viem';
import { z } from 'zod';
import { decodeContext, supportedExecutionPermissions } from '../erc7715/response.js';
import { translateExecutionPermissions, translateGrantPermissions } from '../erc7715/translate.js';
import { parseRevokeExecutionPermissionParams } from '../erc7715/schema.js';
import { hexChainId } from '../networks/networks.js';
import { backgroundRequestSchema, type RpcResponse } from '../provider/messages.js';
import { bundlerClientFor } from '../accounts/clients.js';
import { networkClients } from './accounts.js';
import type { ApprovalKind } from './approvals.js';
import type { BackgroundContext } from './context.js';
import { executeRevokeFor } from './executors.js';
import {
  chainDisconnected,
  fromWireError,
  invalidParams,
  invalidRequest,
  toWireError,
  unauthorized,
  unknownBundle,
  unrecognizedChain,
  unsupportedMethod,
} from '../protocol/errors.js';

type Handler = (params: unknown, req: { origin: string; requestId: string; retry: boolean }) => Promise<unknown>;

const methodSchema = z.string().min(1).max(128);
const originSchema = z
  .string()
  .max(2048)
  .refine((o) => {
    try {
      return new URL(o).origin === o;
    } catch {
      return false;
    }
  });

const switchChainSchema = z.tuple([z.object({ chainId: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a 0x-hex chain id') }).strict()]);
const getCapabilitiesSchema = z.union([
  z.tuple([z.string()]),
  z.tuple([z.string(), z.array(z.string().regex(/^0x[0-9a-fA-F]{1,16}$/)).max(64)]),
]);
const callSchema = z
  .object({
    to: z.string().refine((a) => isAddress(a), 'an address'),
    data: z.string().regex(/^0x([0-9a-fA-F]{2})*$/, '0x-hex bytes').max(200_000).optional(),
    value: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'a 0x-hex quantity').optional(),
  })
  .strict();
export const sendCallsSchema = z.tuple([
  z
    .object({
      version: z.string().max(16).optional(),
      id: z.string().max(256).optional(),
      chainId: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a 0x-hex chain id'),
      from: z.string().refine((a) => isAddress(a), 'an address').optional(),
      calls: z.array(callSchema).min(1, 'no calls').max(32, 'at most 32 calls'),
      atomicRequired: z.boolean().optional(),
      capabilities: z.record(z.unknown()).optional(),
    })
    .strict(),
]);
const callsStatusSchema = z.tuple([z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a call bundle id')]);

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, params: unknown): T {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalidParams(`${issue.path.length ? `params${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ` : ''}${issue.message}`);
}

export function createDappRpc(ctx: BackgroundContext) {
  const connectionOf = async (origin: string) => (await ctx.state.connections.read())[origin];

  /** Opens (or, for a repeated request, finds) the approval, and returns its answer. */
  async function viaApproval(kind: ApprovalKind, method: string, params: unknown, req: { origin: string; requestId: string; retry: boolean }) {
    const existing = req.retry ? await ctx.approvals.byRequest(req.origin, req.requestId) : undefined;
    const a = existing ?? (await ctx.approvals.open({ origin: req.origin, requestId: req.requestId, kind, method, params }));
    const answer = await ctx.approvals.awaitAnswer(a.id);
    if ('error' in answer) throw fromWireError(answer.error);
    return answer.result;
  }

  async function connectedAccounts(origin: string): Promise<Address[]> {
    if (!(await ctx.isUnlocked())) return [];
    return (await connectionOf(origin))?.accounts ?? [];
  }

  async function requireConnected(origin: string, from?: string): Promise<Address> {
    const conn = await connectionOf(origin);
    if (!conn) throw unauthorized();
    if (from === undefined) return conn.accounts[0]!;
    const a = getAddress(from);
    if (!conn.accounts.includes(a)) throw unauthorized(`This site is not connected to ${a}`);
    return a;
  }

  const handlers: Record<string, Handler> = {
    eth_chainId: async () => hexChainId((await ctx.activeNetwork()).chainId),
    net_version: async () => String((await ctx.activeNetwork()).chainId),
    eth_accounts: async (_, { origin }) => connectedAccounts(origin),
    eth_requestAccounts: async (params, req) => {
      if (params !== undefined && !(Array.isArray(params) && params.length === 0)) throw invalidParams('eth_requestAccounts takes no params');
      const accounts = await connectedAccounts(req.origin);
      if (accounts.length) return accounts;
      await ctx.activeNetwork();
      return viaApproval('connect', 'eth_requestAccounts', [], req);
    },
    wallet_switchEthereumChain: async (params) => {
      const [{ chainId }] = parse(switchChainSchema, params);
      const id = Number(BigInt(chainId));
      const net = (await ctx.networks()).find((n) => n.chainId === id);
      if (!net) throw unrecognizedChain(`Unrecognized chain ${chainId}: add it in the Functor popup first`);
      const before = await ctx.activeNetwork().catch(() => undefined);
      await ctx.state.activeNetworkId.write(net.id);
      if (before?.chainId !== net.chainId) ctx.deps.emit('*', 'chainChanged', hexChainId(net.chainId));
      return null;
    },
    wallet_getCapabilities: async (params, { origin }) => {
      const [address, chainIds] = parse(getCapabilitiesSchema, params);
      if (!isAddress(address)) throw invalidParams('params[0]: an address');
      await requireConnected(origin, address);
      const chains = chainIds ?? (await ctx.networks()).map((n) => hexChainId(n.chainId));
      const known = new Set((await ctx.networks()).map((n) => hexChainId(n.chainId)));
      const out: Record<string, unknown> = {};
      for (const c of chains) {
        const hex = hexChainId(Number(BigInt(c)));
        if (known.has(hex)) out[hex] = { atomic: { status: 'supported' }, permissions: { supported: true } };
      }
      return out;
    },
    wallet_sendCalls: async (params, req) => {
      const [p] = parse(sendCallsSchema, params);
      await requireConnected(req.origin, p.from);
      const net = await ctx.activeNetwork();
      if (Number(BigInt(p.chainId)) !== net.chainId) {
        throw chainDisconnected(`The wallet is on chain ${hexChainId(net.chainId)}, not ${p.chainId}: call wallet_switchEthereumChain first`);
      }
      return viaApproval('sendCalls', 'wallet_sendCalls', params, req);
    },
    wallet_getCallsStatus: async (params, { origin }) => {
      const [id] = parse(callsStatusSchema, params);
      const bundle = (await ctx.state.callBundles.read())[id.toLowerCase()];
      // Another site's bundle is as unknown to this one as a made-up id.
      if (!bundle || bundle.origin !== origin) throw unknownBundle();
      const net = (await ctx.networks()).find((n) => n.id === bundle.networkId);
      if (!net) throw chainDisconnected('The network of this bundle is gone');
      const receipt = await bundlerClientFor(networkClients(net))
        .getUserOperationReceipt({ hash: bundle.userOpHash })
        .catch(() => undefined);
      return {
        version: '2.0.0',
        id,
        chainId: hexChainId(bundle.chainId),
        atomic: true,
        status: !receipt ? 100 : receipt.success ? 200 : 500,
        ...(receipt && {
          receipts: [
            {
              logs: receipt.receipt.logs.map((l) => ({ address: l.address, data: l.data, topics: l.topics })),
              status: receipt.success ? '0x1' : '0x0',
              blockHash: receipt.receipt.blockHash,
              blockNumber: `0x${receipt.receipt.blockNumber.toString(16)}`,
              gasUsed: `0x${receipt.receipt.gasUsed.toString(16)}`,
              transactionHash: receipt.receipt.transactionHash,
            },
          ],
        }),
      };
    },
    wallet_getSupportedExecutionPermissions: async () => supportedExecutionPermissions((await ctx.networks()).map((n) => n.chainId)),
    wallet_requestExecutionPermissions: async (params, req) => {
      // Refuse a malformed request before anyone sees a window.
      const net = await ctx.activeNetwork();
      const chainFeePerGas = await ctx.feePerGas(net);
      const translations = translateExecutionPermissions(params, { now: Math.floor(ctx.now() / 1000), chainFeePerGas });
      for (const t of translations) {
        if (t.chainId !== net.chainId) {
          throw chainDisconnected(`The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`);
        }
      }
      return viaApproval('permissions', 'wallet_requestExecutionPermissions', { request: params, now: Math.floor(ctx.now() / 1000), chainFeePerGas: chainFeePerGas.toString() }, req);
    },
    // The earlier draft (viem/experimental's grantPermissions, Porto-style dapps): same approval,
    // answered as `{ expiry, grantedPermissions, permissionsContext }`.
    wallet_grantPermissions: async (params, req) => {
      const now = Math.floor(ctx.now() / 1000);
      const net = await ctx.activeNetwork();
      const chainFeePerGas = await ctx.feePerGas(net);
      const t = translateGrantPermissions(params, { now, chainFeePerGas });
      if (t.chainId !== undefined && t.chainId !== net.chainId) {
        throw chainDisconnected(`The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`);
      }
      return viaApproval('permissions', 'wallet_grantPermissions', { request: params, now, chainId: net.chainId, chainFeePerGas: chainFeePerGas.toString() }, req);
    },
    wallet_getGrantedExecutionPermissions: async (params, { origin }) => {
      if (params !== undefined && !(Array.isArray(params) && params.length === 0)) throw invalidParams('takes no params');
      return (await ctx.state.grants.read()).filter((g) => g.origin === origin && g.revokedAt === undefined).flatMap((g) => g.responses);
    },
    wallet_revokeExecutionPermission: async (params, req) => {
      const { permissionContext } = parseRevokeExecutionPermissionParams(params);
      decodeContext(permissionContext);
      const grants = await ctx.state.grants.read();
      // Origin isolation: a site can only name its own grants; anything else is unknown to it.
      const grant = grants.find((g) => g.origin === req.origin && g.contexts.some((c) => c.toLowerCase() === permissionContext.toLowerCase()));
      if (!grant) throw invalidParams('permissionContext: no permission granted to this site has this context');
      if (grant.revokedAt !== undefined) return {};
      if (!(await ctx.isUnlocked())) return viaApproval('revoke', 'wallet_revokeExecutionPermission', { permissionContext }, req);
      await executeRevokeFor(ctx, grant);
      return {};
    },
  };

  async function handle(message: unknown): Promise<RpcResponse> {
    try {
      const req = backgroundRequestSchema.safeParse(message);
      if (!req.success) throw invalidRequest();
      const origin = originSchema.safeParse(req.data.origin);
      if (!origin.success) throw unauthorized('Unknown origin');
      const method = methodSchema.safeParse(req.data.method);
      if (!method.success) throw invalidRequest('Invalid request: method must be a non-empty string');
      const handler = Object.hasOwn(handlers, method.data) ? handlers[method.data] : undefined;
      if (!handler) throw unsupportedMethod(method.data.slice(0, 64));
      return { result: await handler(req.data.params, { origin: origin.data, requestId: req.data.id, retry: !!req.data.retry }) };
    } catch (e) {
      return { error: toWireError(e) };
    }
  }

  return { handle, methods: Object.keys(handlers) };
}
