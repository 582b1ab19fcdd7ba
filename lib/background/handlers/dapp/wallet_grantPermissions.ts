import type { z } from 'zod';
import { translateGrantPermissions } from '../../../erc7715/translate.js';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_grantPermissions.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

// The same approval as wallet_requestExecutionPermissions, answered in the draft's shape.
export const wallet_grantPermissions = dappHandler({
  schema,
  handle: async (ctx, _, req) => {
    const now = Math.floor(ctx.now() / 1000);
    const net = await ctx.activeNetwork();
    const chainFeePerGas = await ctx.feePerGas(net);
    const t = translateGrantPermissions(req.raw, { now, chainFeePerGas });
    if (t.chainId !== undefined && t.chainId !== net.chainId) {
      throw chainDisconnected(
        `The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`,
      );
    }
    // viem's draft names no chain: the wallet's, when it was asked, is stored with it.
    const stored = { request: req.raw, now, chainId: net.chainId, chainFeePerGas: chainFeePerGas.toString() };
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'permissions', 'wallet_grantPermissions', stored, req);
  },
});
