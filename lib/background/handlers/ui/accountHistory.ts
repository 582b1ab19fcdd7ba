// What keys did on one account, read from chain.
import { getAddress } from 'viem';
import { accountHistory as historyOf } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const accountHistory = uiHandler('ui:accountHistory', {
  handle: async (ctx, req) => ok(req.type, { history: await historyOf(ctx, getAddress(req.address)) }),
});
