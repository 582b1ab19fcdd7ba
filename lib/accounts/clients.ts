// Clients for one network: chain reads, and a smart-account client that sends owner UserOps
// through the bundler with the bundler's own gas prices.
import { type Chain, createPublicClient, http, type PublicClient, type Transport } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import { createSmartAccountClient } from 'permissionless';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { foundry } from 'viem/chains';

export interface Network {
  chain: Chain;
  rpcUrl: string;
  bundlerUrl: string;
  entryPoint: `0x${string}`;
}

/**
 * A node on this machine (the devnet's anvil mines each transaction at once, and Alto looks for new
 * blocks every second). Without a block time viem assumes 12 s blocks and polls every 4 s, so each
 * wait for a UserOp's receipt cost 4 s where the op had landed within half a second. With
 * `localPolling` (the extension's background, the integration harness, the agent CLI on `--devnet`,
 * the e2e agent), such a node gets a 1 s block time: viem polls it every 500 ms. (The two-chain e2e
 * story once failed with it: its test sent a request before the popup's network switch had landed,
 * and the wallet rightly answered 4901; the test now waits for the switch.) Other networks: viem's
 * default.
 */
export const LOCAL_BLOCK_TIME_MS = 1000;

export function isLocalRpc(rpcUrl: string): boolean {
  try {
    const host = new URL(rpcUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export function devnetChain(chainId: number, rpcUrl: string, opts: { localPolling?: boolean } = {}): Chain {
  return {
    ...foundry,
    id: chainId,
    rpcUrls: { default: { http: [rpcUrl] } },
    ...(opts.localPolling && isLocalRpc(rpcUrl) ? { blockTime: LOCAL_BLOCK_TIME_MS } : {}),
  };
}

export function publicClientFor(net: Network): PublicClient<Transport, Chain> {
  return createPublicClient({ chain: net.chain, transport: http(net.rpcUrl) });
}

export function bundlerClientFor(net: Network) {
  return createPimlicoClient({
    chain: net.chain,
    transport: http(net.bundlerUrl),
    entryPoint: { address: net.entryPoint, version: '0.7' },
  });
}

/** A client that signs with `account` (owner or session) and sends through the bundler. */
export function smartAccountClientFor(net: Network, account: SmartAccount) {
  const bundler = bundlerClientFor(net);
  return createSmartAccountClient({
    account,
    chain: net.chain,
    client: publicClientFor(net),
    bundlerTransport: http(net.bundlerUrl),
    userOperation: {
      estimateFeesPerGas: async () => (await bundler.getUserOperationGasPrice()).fast,
    },
  });
}
