// Gives a key a new signer (its counters carry over).
import { getAddress, type Hex } from 'viem';
import { rotateSigner as rotate } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const rotateSigner = uiHandler('ui:rotateSigner', {
  requiresUnlock: true,
  async handle(ctx, req) {
    await rotate(ctx, BigInt(req.keyId), req.oldSigner as Hex, getAddress(req.newSigner), req.networkId);
    return ok(req.type, {});
  },
});
