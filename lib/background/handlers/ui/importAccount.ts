// An account the owner already controls elsewhere, checked onchain and kept for this network.
import { getAddress } from 'viem';
import { checkImport } from '../../accounts.js';
import { ok, uiHandler } from '../uiHandler.js';

export const importAccount = uiHandler('ui:importAccount', {
  requiresUnlock: true,
  async handle(ctx, req) {
    const net = await ctx.activeNetwork();
    const addr = getAddress(req.address);
    const kind = await checkImport(ctx.client(net), net, addr, ctx.owner().address);
    const all = await ctx.state.imported.read();
    const list = all[net.id] ?? [];
    if (!list.some((x) => x.address === addr)) all[net.id] = [...list, { kind, address: addr }];
    await ctx.state.imported.write(all);
    return ok(req.type, { kind });
  },
});
