import { hexChainId } from '../../../networks/networks.js';
import { unrecognizedChain } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_switchEthereumChain.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_switchEthereumChain = dappHandler({
  schema,
  handle: async (ctx, [{ chainId }]) => {
    const id = Number(BigInt(chainId));
    const net = (await ctx.networks()).find((n) => n.chainId === id);
    if (!net) throw unrecognizedChain(`Unrecognized chain ${chainId}: add it in the Functor popup first`);
    const before = await ctx.activeNetwork().catch(() => undefined);
    await ctx.state.activeNetworkId.write(net.id);
    if (before?.chainId !== net.chainId) ctx.deps.emit('*', 'chainChanged', hexChainId(net.chainId));
    return null;
  },
});
