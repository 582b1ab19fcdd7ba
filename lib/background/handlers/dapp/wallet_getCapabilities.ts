import { hexChainId } from '../../../networks/networks.js';
import * as schema from '../../../protocol/rpc/wallet_getCapabilities.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_getCapabilities = dappHandler({
  schema,
  requiresConnection: ([address]) => address,
  handle: async (ctx, [, chainIds]) => {
    const chains = chainIds ?? (await ctx.networks()).map((n) => hexChainId(n.chainId));
    const known = new Set((await ctx.networks()).map((n) => hexChainId(n.chainId)));
    const out: Record<string, { atomic: { status: 'supported' }; permissions: { supported: true } }> = {};
    for (const c of chains) {
      const hex = hexChainId(Number(BigInt(c)));
      if (known.has(hex)) out[hex] = { atomic: { status: 'supported' }, permissions: { supported: true } };
    }
    return out;
  },
});
