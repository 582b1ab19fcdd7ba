import * as schema from '../../../protocol/rpc/net_version.js';
import { dappHandler } from '../dappHandler.js';

export const net_version = dappHandler({
  schema,
  handle: async (ctx) => String((await ctx.activeNetwork()).chainId),
});
