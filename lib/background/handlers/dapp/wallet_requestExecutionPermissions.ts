import type { z } from 'zod';
import { translateExecutionPermissions } from '../../../erc7715/translate.js';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_requestExecutionPermissions.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_requestExecutionPermissions = dappHandler({
  schema,
  handle: async (ctx, _, req) => {
    // Refuse a request that cannot be granted as written before anyone sees a window: translating
    // it checks each type's data, and its gas caps need the chain's fee now.
    const net = await ctx.activeNetwork();
    const chainFeePerGas = await ctx.feePerGas(net);
    const now = Math.floor(ctx.now() / 1000);
    const translations = translateExecutionPermissions(req.raw, { now, chainFeePerGas });
    for (const t of translations) {
      if (t.chainId !== net.chainId) {
        throw chainDisconnected(
          `The request is for chain ${hexChainId(t.chainId)}; the wallet is on ${hexChainId(net.chainId)}: call wallet_switchEthereumChain first`,
        );
      }
    }
    const stored = { request: req.raw, now, chainFeePerGas: chainFeePerGas.toString() };
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'permissions', 'wallet_requestExecutionPermissions', stored, req);
  },
});
