// Revoke everything on one chain (revokeAll.ts): the popup sends one per chain, together.
import { wordsOf } from '../../../protocol/errors.js';
import { revokeAllOn } from '../../revokeAll.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const revokeAll = uiHandler('ui:revokeAll', {
  requiresUnlock: true,
  async handle(ctx, req) {
    try {
      return ok(req.type, await revokeAllOn(ctx, req.networkId));
    } catch (e) {
      return refuse(e instanceof Error ? wordsOf(e) : String(e));
    }
  },
});
