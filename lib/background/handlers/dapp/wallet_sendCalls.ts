import type { z } from 'zod';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_sendCalls.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_sendCalls = dappHandler({
  schema,
  requiresConnection: ([p]) => p.from,
  handle: async (ctx, params, req) => {
    const net = await ctx.activeNetwork();
    if (Number(BigInt(params[0].chainId)) !== net.chainId) {
      throw chainDisconnected(`The wallet is on chain ${hexChainId(net.chainId)}, not ${params[0].chainId}: call wallet_switchEthereumChain first`);
    }
    // Stored as sent: approved/sendCalls.ts reads them back with the same schema's type.
    return viaApproval<z.input<typeof schema.Response>>(ctx, 'sendCalls', 'wallet_sendCalls', req.raw, req);
  },
});
