// Forgets a site's connection; its pages hear accountsChanged with no accounts.
import { ok, uiHandler } from '../uiHandler.js';

export const disconnect = uiHandler('ui:disconnect', {
  async handle(ctx, req) {
    const all = await ctx.state.connections.read();
    if (all[req.origin]) {
      delete all[req.origin];
      await ctx.state.connections.write(all);
      ctx.deps.emit(req.origin, 'accountsChanged', []);
    }
    return ok(req.type, {});
  },
});
