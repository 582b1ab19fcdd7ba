// wagmi as a dapp sets it up: one chain (the devnet's), and no connector of our own: with
// `multiInjectedProviderDiscovery` every wallet announced through EIP-6963 becomes a connector
// (Functor announces itself as `xyz.functor.wallet`).
import { createConfig, http } from 'wagmi';
import { defineChain } from 'viem';
import type { DevnetConfig } from '../../lib/chain/devnetConfig.js';

export const FUNCTOR_RDNS = 'xyz.functor.wallet';

export function devnetChainOf(chainId: number, rpcUrl: string) {
  return defineChain({
    id: chainId,
    name: 'Functor devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export function wagmiConfigFor(devnet: DevnetConfig | undefined) {
  const chain = devnetChainOf(devnet?.chainId ?? 31337, devnet?.rpcUrl ?? 'http://127.0.0.1:8545');
  return createConfig({
    chains: [chain],
    transports: { [chain.id]: http(chain.rpcUrls.default.http[0]) },
    multiInjectedProviderDiscovery: true,
  });
}
