// The user picks the active network: pages hear chainChanged when the chain changes.
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const selectNetwork = uiHandler('ui:selectNetwork', {
  async handle(ctx, req) {
    const net = (await ctx.networks()).find((n) => n.id === req.id);
    if (!net) return refuse('No such network');
    const before = await ctx.activeNetwork().catch(() => undefined);
    await ctx.state.activeNetworkId.write(net.id);
    if (before?.chainId !== net.chainId) ctx.deps.emit('*', 'chainChanged', `0x${net.chainId.toString(16)}`);
    return ok(req.type, {});
  },
});
