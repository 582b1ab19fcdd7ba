// The name the user gives a key (kept in the wallet only).
import { ok, uiHandler } from '../uiHandler.js';

export const renameKey = uiHandler('ui:renameKey', {
  async handle(ctx, req) {
    const names = await ctx.state.keyNames.read();
    names[req.keyId] = req.name;
    await ctx.state.keyNames.write(names);
    return ok(req.type, {});
  },
});
