import type { z } from 'zod';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_grantPermissions.js';
import { DRAFT_METHOD, storeAsks } from '../../asks.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

// The same approval as wallet_requestExecutionPermissions, answered in the draft's shape.
export const wallet_grantPermissions = dappHandler({
  schema,
  handle: async (ctx, _, req) => {
    const net = await ctx.activeNetwork();
    // The chain's fee now, and the time its periods start from (never past the chain's latest block)
    const { chainFeePerGas, now } = await ctx.requestBasis(net);
    // Translated once, here: the approval stores the result as data (asks.ts). viem's draft names
    // no chain: the wallet's, when it was asked, is stored with it.
    const stored = storeAsks(DRAFT_METHOD, req.raw, { now, chainFeePerGas, chainId: net.chainId });
    const t = stored.asks[0]!;
    if (t.chainId !== net.chainId) {
      throw chainDisconnected(
        `The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`,
      );
    }
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'permissions', 'wallet_grantPermissions', stored, req);
  },
});
