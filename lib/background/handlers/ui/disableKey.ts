// Disables a key on one account (the others keep it).
import { getAddress } from 'viem';
import { disableKey as disable } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const disableKey = uiHandler('ui:disableKey', {
  requiresUnlock: true,
  async handle(ctx, req) {
    await disable(ctx, BigInt(req.keyId), getAddress(req.account), req.networkId);
    return ok(req.type, {});
  },
});
