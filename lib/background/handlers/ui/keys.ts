// The keys the owner's accounts registered, read from chain (keys.ts).
import { listKeys } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const keys = uiHandler('ui:keys', {
  requiresUnlock: true,
  handle: async (ctx, req) => {
    const { keys, unreachable } = await listKeys(ctx);
    return ok(req.type, { keys, ...(unreachable.length && { unreachable }) });
  },
});
