import type { z } from 'zod';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_requestExecutionPermissions.js';
import { storeAsks } from '../../asks.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_requestExecutionPermissions = dappHandler({
  schema,
  handle: async (ctx, _, req) => {
    // Refuse a request that cannot be granted as written before anyone sees a window: translating
    // it checks each type's data, and its gas caps need the chain's fee now.
    const net = await ctx.activeNetwork();
    // The chain's fee now, and the time its periods start from (never past the chain's latest block)
    const { chainFeePerGas, now } = await ctx.requestBasis(net);
    // Translated once, here: the approval stores the result as data (asks.ts).
    const stored = storeAsks('wallet_requestExecutionPermissions', req.raw, { now, chainFeePerGas, chainId: net.chainId });
    for (const t of stored.asks) {
      if (t.chainId !== net.chainId) {
        throw chainDisconnected(
          `The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`,
        );
      }
    }
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'permissions', 'wallet_requestExecutionPermissions', stored, req);
  },
});
