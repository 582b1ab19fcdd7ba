// Messages from the extension's own pages (popup and approval windows) to the background. The
// background accepts them only from its own pages (entrypoints/background.ts checks the sender).
import { getAddress } from 'viem';
import { checkNetwork } from '../networks/check.js';
import { addNetworkInputSchema, networkAddressesSchema, type WalletNetwork } from '../networks/networks.js';
import { functorInstallCalls } from '../accounts/functorModules.js';
import { checkImport, describeAccounts, KIND_NAMES } from './accounts.js';
import { approvalView } from './approvalView.js';
import type { BackgroundContext } from './context.js';
import { decide } from './executors.js';
import { ownerOp, reasonOf } from './grant.js';
import { fromJsonSafe, toJsonSafe } from '../protocol/jsonSafe.js';
import { uiRequestSchema, walletRequestSchema, type UiAnswer, type UiMessageType, type UiResults } from '../protocol/ui.js';
import { accountHistory, disableKey, editPolicy, keyHistory, listKeys, revokeKey, rotateSigner } from './keys.js';
import { parsePermission } from '../permissions/index.js';
import { unreadableEntries } from './store.js';
import { wordsOf } from '../protocol/errors.js';

export { uiRequestSchema, type UiRequest } from '../protocol/ui.js';
export type UiResponse = UiAnswer<UiMessageType>;

/** A success answer, checked against what the contract says `type` answers. */
const ok = <T extends UiMessageType>(_type: T, fields: UiResults[T]) => ({ ok: true as const, ...fields });

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

  /** The answer to a page of the extension, bigints made JSON-safe here and only here. */
  async function handle(message: unknown): Promise<UiResponse> {
    return toJsonSafe(await answer(message)) as UiResponse;
  }

  async function answer(message: unknown): Promise<UiResponse> {
    if (typeof message === 'object' && message && String((message as { type?: unknown }).type).startsWith('wallet:')) {
      const r = await ctx.wallet.handle(message);
      if (r.ok && walletRequestSchema.safeParse(message).data?.type === 'wallet:lock') ctx.deps.emit('*', 'accountsChanged', []);
      return r;
    }
    const parsed = uiRequestSchema.safeParse(message);
    if (!parsed.success) return { ok: false, error: `Invalid request: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
    const req = parsed.data;
    try {
      switch (req.type) {
        case 'ui:overview':
          return ok(req.type, await overview());
        case 'ui:accounts': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const net = await ctx.activeNetwork();
          const owned = await ctx.ownerAccounts(net);
          // Accounts known from before, on a chain that stopped answering: say so in words.
          const accounts = await describeAccounts(net, owned).catch((e) => {
            throw new Error(`Cannot read the accounts: ${reasonOf(e, net)}`);
          });
          return ok(req.type, { accounts });
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
          return ok(req.type, { network: { id: net.id, name: net.name, chainId: net.chainId }, check });
        }
        case 'ui:selectNetwork': {
          const net = (await ctx.networks()).find((n) => n.id === req.id);
          if (!net) return { ok: false, error: 'No such network' };
          const before = await ctx.activeNetwork().catch(() => undefined);
          await ctx.state.activeNetworkId.write(net.id);
          if (before?.chainId !== net.chainId) ctx.deps.emit('*', 'chainChanged', `0x${net.chainId.toString(16)}`);
          return ok(req.type, {});
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
          return ok(req.type, { kind });
        }
        case 'ui:install': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const net = await ctx.activeNetwork();
          const acc = (await ctx.ownerAccounts(net)).find((a) => a.address === getAddress(req.address));
          if (!acc) return { ok: false, error: 'Not one of this wallet\'s accounts' };
          const [view] = await describeAccounts(net, [acc]);
          if (view?.otherHook) return { ok: false, error: `${KIND_NAMES[acc.kind]} already has another global hook (${view.otherHook}): remove it first` };
          if (view?.validator && view.hook) return ok(req.type, { already: true });
          try {
            const calls = await functorInstallCalls(acc.kind, acc.account, net.addresses.functor);
            const tx = await ownerOp(net, acc, calls.map((c) => ({ to: c.to, data: c.data, value: c.value })), 'Installing Functor');
            return ok(req.type, { transactionHash: tx });
          } catch (e) {
            return { ok: false, error: e instanceof Error ? wordsOf(e) : reasonOf(e, net) };
          }
        }
        case 'ui:disconnect': {
          const all = await ctx.state.connections.read();
          if (all[req.origin]) {
            delete all[req.origin];
            await ctx.state.connections.write(all);
            ctx.deps.emit(req.origin, 'accountsChanged', []);
          }
          return ok(req.type, {});
        }
        case 'approval:get': {
          const a = await ctx.approvals.get(req.id);
          if (!a) return { ok: false, error: 'This request is gone (it was answered or expired)' };
          return ok(req.type, { view: await approvalView(ctx, a) });
        }
        case 'approval:decide':
          return decide(ctx, req.decision);
        case 'ui:keys':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          return ok(req.type, { keys: await listKeys(ctx) });
        case 'ui:accountHistory':
          return ok(req.type, { history: await accountHistory(ctx, getAddress(req.address)) });
        case 'ui:keyHistory':
          return ok(req.type, { history: await keyHistory(ctx, BigInt(req.keyId), req.accounts.map((a) => getAddress(a))) });
        case 'ui:revokeKey':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await revokeKey(ctx, BigInt(req.keyId));
          return ok(req.type, {});
        case 'ui:disableKey':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await disableKey(ctx, BigInt(req.keyId), getAddress(req.account));
          return ok(req.type, {});
        case 'ui:rotateSigner':
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          await rotateSigner(ctx, BigInt(req.keyId), req.oldSigner as `0x${string}`, getAddress(req.newSigner));
          return ok(req.type, {});
        case 'ui:renameKey': {
          const names = await ctx.state.keyNames.read();
          names[req.keyId] = req.name;
          await ctx.state.keyNames.write(names);
          return ok(req.type, {});
        }
        case 'ui:editPolicy': {
          if (!(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
          const permission = parsePermission(fromJsonSafe(req.permission));
          await editPolicy(ctx, BigInt(req.keyId), permission, req.accounts.map((a) => getAddress(a)));
          return ok(req.type, {});
        }
      }
    } catch (e) {
      return { ok: false, error: wordsOf(e) };
    }
  }
  return { handle };
}
