// Revoke everything on one chain (revokeAll.ts): the popup sends one per chain, together.
// A failure is answered in words by the dispatcher (uiRpc.ts), as for every handler.
import { revokeAllOn } from '../../revokeAll.js';
import { ok, uiHandler } from '../uiHandler.js';

export const revokeAll = uiHandler('ui:revokeAll', {
  requiresUnlock: true,
  handle: async (ctx, req) => ok(req.type, await revokeAllOn(ctx, req.networkId)),
});
