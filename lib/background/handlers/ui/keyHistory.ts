// What one key did on the accounts named, read from chain.
import { getAddress } from 'viem';
import { keyHistory as historyOf } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const keyHistory = uiHandler('ui:keyHistory', {
  handle: async (ctx, req) =>
    ok(req.type, {
      history: await historyOf(
        ctx,
        BigInt(req.keyId),
        req.accounts.map((a) => getAddress(a)),
        req.networkId,
      ),
    }),
});
