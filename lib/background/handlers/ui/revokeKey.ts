// Revokes a key on one chain, from its controller there: on every account of that chain at once.
// A key on several chains gets one of these per chain, sent together by the popup.
import { revokeKey as revoke } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const revokeKey = uiHandler('ui:revokeKey', {
  requiresUnlock: true,
  async handle(ctx, req) {
    return ok(req.type, await revoke(ctx, BigInt(req.keyId), req.networkId));
  },
});
