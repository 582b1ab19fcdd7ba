// The owner's accounts on the active network, read from chain.
import { describeAccounts } from '../../accounts.js';
import { reasonOf } from '../../grant.js';
import { ok, uiHandler } from '../uiHandler.js';

export const accounts = uiHandler('ui:accounts', {
  requiresUnlock: true,
  async handle(ctx, req) {
    const net = await ctx.activeNetwork();
    const owned = await ctx.ownerAccounts(net);
    // Accounts known from before, on a chain that stopped answering: say so in words.
    const accounts = await describeAccounts(net, owned).catch((e) => {
      throw new Error(`Cannot read the accounts: ${reasonOf(e, net)}`);
    });
    return ok(req.type, { accounts });
  },
});
