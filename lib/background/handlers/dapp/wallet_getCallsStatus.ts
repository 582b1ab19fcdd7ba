import { bundlerClientFor } from '../../../accounts/clients.js';
import { hexChainId } from '../../../networks/networks.js';
import { chainDisconnected, unknownBundle } from '../../../protocol/errors.js';
import * as schema from '../../../protocol/rpc/wallet_getCallsStatus.js';
import { networkClients } from '../../accounts.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_getCallsStatus = dappHandler({
  schema,
  handle: async (ctx, [id], { origin }) => {
    const bundle = (await ctx.state.callBundles.read())[id.toLowerCase()];
    // Another site's bundle is as unknown to this one as a made-up id.
    if (!bundle || bundle.origin !== origin) throw unknownBundle();
    const net = (await ctx.networks()).find((n) => n.id === bundle.networkId);
    if (!net) throw chainDisconnected('The network of this bundle is gone');
    const receipt = await bundlerClientFor(networkClients(net))
      .getUserOperationReceipt({ hash: bundle.userOpHash })
      .catch(() => undefined);
    return {
      version: '2.0.0',
      id,
      chainId: hexChainId(bundle.chainId),
      atomic: true,
      status: !receipt ? 100 : receipt.success ? 200 : 500,
      ...(receipt && {
        receipts: [
          {
            logs: receipt.receipt.logs.map((l) => ({ address: l.address, data: l.data, topics: l.topics })),
            status: receipt.success ? '0x1' : '0x0',
            blockHash: receipt.receipt.blockHash,
            blockNumber: `0x${receipt.receipt.blockNumber.toString(16)}`,
            gasUsed: `0x${receipt.receipt.gasUsed.toString(16)}`,
            transactionHash: receipt.receipt.transactionHash,
          },
        ],
      }),
    };
  },
});
