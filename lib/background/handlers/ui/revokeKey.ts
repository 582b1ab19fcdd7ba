// Revokes a key everywhere, from its controller.
import { revokeKey as revoke } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const revokeKey = uiHandler('ui:revokeKey', {
  requiresUnlock: true,
  async handle(ctx, req) {
    await revoke(ctx, BigInt(req.keyId));
    return ok(req.type, {});
  },
});
