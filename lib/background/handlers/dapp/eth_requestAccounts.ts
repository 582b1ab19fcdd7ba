import type { z } from 'zod';
import * as schema from '../../../protocol/rpc/eth_requestAccounts.js';
import { connectedAccounts } from '../../connections.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

export const eth_requestAccounts = dappHandler({
  schema,
  handle: async (ctx, _, req) => {
    const accounts = await connectedAccounts(ctx, req.origin);
    if (accounts.length) return accounts;
    // No network: say so (4901) before a window opens that could not list any account.
    await ctx.activeNetwork();
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'connect', 'eth_requestAccounts', [], req);
  },
});
