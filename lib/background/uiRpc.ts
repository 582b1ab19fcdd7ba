// Messages from the extension's own pages (popup and approval windows) to the background. The
// background accepts them only from its own pages (entrypoints/background.ts checks the sender).
import { getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { checkNetwork } from '../networks/check.js';
import { addNetworkInputSchema, networkAddressesSchema, type WalletNetwork } from '../networks/networks.js';
import { walletRequestSchema } from '../wallet/messages.js';
import { functorInstallCalls } from '../accounts/functorModules.js';
import { checkImport, describeAccounts, KIND_NAMES } from './accounts.js';
import { approvalView } from './approvalView.js';
import type { BackgroundContext } from './context.js';
import { decide, decisionSchema } from './executors.js';
import { ownerOp, reasonOf } from './grant.js';
import { fromJsonSafe, toJsonSafe } from './jsonSafe.js';
import { accountHistory, disableKey, editPolicy, keyHistory, listKeys, revokeKey, rotateSigner } from './keys.js';
import { parsePermission } from '../permissions/index.js';
import { unreadableEntries } from './store.js';

const address = z.string().refine((a) => isAddress(a), 'not an address');
const keyIdString = z.string().regex(/^[1-9][0-9]{0,53}$/, 'a keyId (decimal)');

export const uiRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ui:overview') }).strict(),
  z.object({ type: z.literal('ui:accounts') }).strict(),
  z.object({ type: z.literal('ui:addNetwork'), input: addNetworkInputSchema }).strict(),
  z.object({ type: z.literal('ui:selectNetwork'), id: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:importAccount'), address }).strict(),
  z.object({ type: z.literal('ui:install'), address }).strict(),
  z.object({ type: z.literal('ui:disconnect'), origin: z.string().max(2048) }).strict(),
  z.object({ type: z.literal('approval:get'), id: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:keys') }).strict(),
  z.object({ type: z.literal('ui:accountHistory'), address }).strict(),
  z.object({ type: z.literal('ui:keyHistory'), keyId: keyIdString, accounts: z.array(address).max(16) }).strict(),
  z.object({ type: z.literal('ui:revokeKey'), keyId: keyIdString }).strict(),
  z.object({ type: z.literal('ui:disableKey'), keyId: keyIdString, account: address }).strict(),
  z.object({ type: z.literal('ui:rotateSigner'), keyId: keyIdString, oldSigner: z.string().regex(/^0x[0-9a-fA-F]{64}$/), newSigner: address }).strict(),
  z.object({ type: z.literal('ui:renameKey'), keyId: keyIdString, name: z.string().trim().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:editPolicy'), keyId: keyIdString, accounts: z.array(address).min(1).max(16), permission: z.unknown() }).strict(),
  z.object({ type: z.literal('approval:decide'), decision: decisionSchema }).strict(),
]);
export type UiRequest = z.infer<typeof uiRequestSchema>;
export type UiResponse = { ok: true; [k: string]: unknown } | { ok: false; error: string; [k: string]: unknown };

export function isUiMessage(m: unknown): boolean {
  const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return typeof t === 'string' && (t.startsWith('ui:') || t.startsWith('approval:') || t.startsWith('wallet:'));
}

export function createUiRpc(ctx: BackgroundContext) {
  async function overview() {
    const status = await ctx.wallet.status();
    const networks = await ctx.networks();
    const active = await ctx.activeNetwork().catch(() => undefined);
    const check = active ? await checkNetwork({ ...active, chainId: active.chainId }, ctx.fetchFn) : undefined;
    const connections = await ctx.state.connections.read();
    const grants = (await ctx.state.grants.read()).map((g) => ({ origin: g.origin, keyId: g.keyId, type: g.type, accounts: g.accounts, revoked: g.revokedAt !== undefined }));
    const pending = (await ctx.approvals.list()).filter((a) => a.state === 'open').map((a) => ({ id: a.id, origin: a.origin, kind: a.kind }));
    return {
      status,
      networks: networks.map((n) => ({ id: n.id, name: n.name, chainId: n.chainId, rpcUrl: n.rpcUrl, bundlerUrl: n.bundlerUrl, source: n.source })),
      active: active && { id: active.id, name: active.name, chainId: active.chainId, check },
      connections,
      grants,
      pending,
      /** Stored entries the wallet could not read, and where each was kept (store.ts). */
      unreadable: (await unreadableEntries(ctx.deps.store)).map(({ key, keptAs, items }) => ({ key, keptAs, ...(items !== undefined && { items }) })),
    };
  }

  async function handle(message: unknown): Promise<UiResponse> {
    if (typeof message === 'object' && message && String((message as { type?: unknown }).type).startsWith('wallet:')) {
      const r = await ctx.wallet.handle(message);
      if (r.ok && walletRequestSchema.safeParse(message).data?.type === 'wallet:lock') ctx.deps.emit('*', 'accountsChanged', []);
      return r as UiResponse;
    }
    const parsed = uiRequestSchema.safeParse(message);
    if (!parsed.success) return { ok: false, error: `Invalid request: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
    const req = parsed.data;
    try {
      switch (req.type) {
        case 'ui:overview':
          return { ok: true, ...(await overview()) };
        case 'ui:accounts': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const net = await ctx.activeNetwork();
          const owned = await ctx.ownerAccounts(net);
          // Accounts known from before, on a chain that stopped answering: say so in words.
          const accounts = await describeAccounts(net, owned).catch((e) => {
            throw new Error(`Cannot read the accounts: ${reasonOf(e, net)}`);
          });
          return { ok: true, accounts };
        }
        case 'ui:addNetwork': {
          const input = req.input;
          let addresses = (await ctx.devnetNetwork())?.addresses;
          if (input.addressesUrl) {
            const res = await ctx.fetchFn(input.addressesUrl, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
            if (!res?.ok) return { ok: false, error: `The addresses file at ${input.addressesUrl} could not be read` };
            const json = await res.json().catch(() => undefined);
            const a = networkAddressesSchema.safeParse(json);
            if (!a.success) return { ok: false, error: 'The addresses file is not a Functor network file' };
            addresses = a.data;
          }
          if (!addresses) return { ok: false, error: 'Give the URL of the network\'s addresses file (e.g. a devnet.json)' };
          const check = await checkNetwork({ rpcUrl: input.rpcUrl, bundlerUrl: input.bundlerUrl, addresses }, ctx.fetchFn);
          if (check.chainId === undefined) return { ok: false, error: check.problems.join('; '), check };
          const all = await ctx.state.userNetworks.read();
          const net: WalletNetwork = {
            id: `user-${check.chainId}-${all.length + 1}`,
            name: input.name,
            chainId: check.chainId,
            rpcUrl: input.rpcUrl,
            bundlerUrl: input.bundlerUrl,
            ...(input.explorerUrl && { explorerUrl: input.explorerUrl }),
            addresses,
            source: 'user',
          };
          await ctx.state.userNetworks.write([...all, net]);
          // Added even when contracts are missing (the user may deploy them), but said loudly.
          return { ok: true, network: { id: net.id, name: net.name, chainId: net.chainId }, check };
        }
        case 'ui:selectNetwork': {
          const net = (await ctx.networks()).find((n) => n.id === req.id);
          if (!net) return { ok: false, error: 'No such network' };
          const before = await ctx.activeNetwork().catch(() => undefined);
          await ctx.state.activeNetworkId.write(net.id);
          if (before?.chainId !== net.chainId) ctx.deps.emit('*', 'chainChanged', `0x${net.chainId.toString(16)}`);
          return { ok: true };
        }
        case 'ui:importAccount': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const net = await ctx.activeNetwork();
          const addr = getAddress(req.address);
          const kind = await checkImport(ctx.client(net), net, addr, ctx.owner().address);
          const all = await ctx.state.imported.read();
          const list = all[net.id] ?? [];
          if (!list.some((x) => x.address === addr)) all[net.id] = [...list, { kind, address: addr }];
          await ctx.state.imported.write(all);
          return { ok: true, kind };
        }
        case 'ui:install': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const net = await ctx.activeNetwork();
          const acc = (await ctx.ownerAccounts(net)).find((a) => a.address === getAddress(req.address));
          if (!acc) return { ok: false, error: 'Not one of this wallet\'s accounts' };
          const [view] = await describeAccounts(net, [acc]);
          if (view?.otherHook) return { ok: false, error: `${KIND_NAMES[acc.kind]} already has another global hook (${view.otherHook}): remove it first` };
          if (view?.validator && view.hook) return { ok: true, already: true };
          try {
            const calls = await functorInstallCalls(acc.kind, acc.account, net.addresses.functor);
            const tx = await ownerOp(net, acc, calls.map((c) => ({ to: c.to, data: c.data, value: c.value })), 'Installing Functor');
            return { ok: true, transactionHash: tx };
          } catch (e) {
            return { ok: false, error: e instanceof Error ? e.message : reasonOf(e, net) };
          }
        }
        case 'ui:disconnect': {
          const all = await ctx.state.connections.read();
          if (all[req.origin]) {
            delete all[req.origin];
            await ctx.state.connections.write(all);
            ctx.deps.emit(req.origin, 'accountsChanged', []);
          }
          return { ok: true };
        }
        case 'approval:get': {
          const a = await ctx.approvals.get(req.id);
          if (!a) return { ok: false, error: 'This request is gone (it was answered or expired)' };
          return { ok: true, view: await approvalView(ctx, a) };
        }
        case 'approval:decide':
          return decide(ctx, req.decision);
        case 'ui:keys':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          return { ok: true, keys: toJsonSafe(await listKeys(ctx)) };
        case 'ui:accountHistory':
          return { ok: true, history: toJsonSafe(await accountHistory(ctx, getAddress(req.address))) };
        case 'ui:keyHistory':
          return { ok: true, history: toJsonSafe(await keyHistory(ctx, BigInt(req.keyId), req.accounts.map((a) => getAddress(a)))) };
        case 'ui:revokeKey':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await revokeKey(ctx, BigInt(req.keyId));
          return { ok: true };
        case 'ui:disableKey':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await disableKey(ctx, BigInt(req.keyId), getAddress(req.account));
          return { ok: true };
        case 'ui:rotateSigner':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await rotateSigner(ctx, BigInt(req.keyId), req.oldSigner as `0x${string}`, getAddress(req.newSigner));
          return { ok: true };
        case 'ui:renameKey': {
          const names = await ctx.state.keyNames.read();
          names[req.keyId] = req.name;
          await ctx.state.keyNames.write(names);
          return { ok: true };
        }
        case 'ui:editPolicy': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const permission = parsePermission(fromJsonSafe(req.permission));
          await editPolicy(ctx, BigInt(req.keyId), permission, req.accounts.map((a) => getAddress(a)));
          return { ok: true };
        }
      }
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message.split('\n')[0]! : 'Something went wrong' };
    }
  }
  return { handle };
}
