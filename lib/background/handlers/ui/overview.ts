// The popup's home: the wallet's status, networks (the active one checked), connections, grants,
// open requests, and what the wallet could not read.
import { checkNetwork } from '../../../networks/check.js';
import { unreadableEntries } from '../../store.js';
import { ok, uiHandler } from '../uiHandler.js';

export const overview = uiHandler('ui:overview', {
  async handle(ctx, req) {
    const status = await ctx.wallet.status();
    const networks = await ctx.networks();
    const active = await ctx.activeNetwork().catch(() => undefined);
    const check = active ? await checkNetwork({ ...active, chainId: active.chainId }, ctx.fetchFn) : undefined;
    const connections = await ctx.state.connections.read();
    const grants = (await ctx.state.grants.read()).map((g) => ({
      origin: g.origin,
      keyId: g.keyId,
      type: g.type,
      accounts: g.accounts,
      revoked: g.revokedAt !== undefined,
    }));
    const pending = (await ctx.approvals.list()).filter((a) => a.state === 'open').map((a) => ({ id: a.id, origin: a.origin, kind: a.kind }));
    return ok(req.type, {
      status,
      networks: networks.map((n) => ({ id: n.id, name: n.name, chainId: n.chainId, rpcUrl: n.rpcUrl, bundlerUrl: n.bundlerUrl, source: n.source })),
      active: active && { id: active.id, name: active.name, chainId: active.chainId, check },
      connections,
      grants,
      pending,
      /** Stored entries the wallet could not read, and where each was kept (store.ts). */
      unreadable: (await unreadableEntries(ctx.deps.store)).map(({ key, keptAs, items }) => ({ key, keptAs, ...(items !== undefined && { items }) })),
    });
  },
});
