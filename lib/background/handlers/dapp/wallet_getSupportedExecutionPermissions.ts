import { supportedExecutionPermissions } from '../../../erc7715/response.js';
import * as schema from '../../../protocol/rpc/wallet_getSupportedExecutionPermissions.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_getSupportedExecutionPermissions = dappHandler({
  schema,
  handle: async (ctx) => supportedExecutionPermissions((await ctx.networks()).map((n) => n.chainId)),
});
