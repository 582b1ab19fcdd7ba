import { hexChainId } from '../../../networks/networks.js';
import * as schema from '../../../protocol/rpc/eth_chainId.js';
import { dappHandler } from '../dappHandler.js';

export const eth_chainId = dappHandler({
  schema,
  handle: async (ctx) => hexChainId((await ctx.activeNetwork()).chainId),
});
