// The public networks people use, from viem/chains: adding one asks only for an RPC URL and a
// bundler URL (no public endpoint is trusted by default: the user brings their own, e.g. from their
// node provider and bundler provider). Their addresses are the canonical ones and Functor's own,
// the same on every chain.
import { zeroAddress } from 'viem';
import { arbitrum, arbitrumSepolia, base, baseSepolia, mainnet, optimism, optimismSepolia, polygon, polygonAmoy, sepolia } from 'viem/chains';
import { FUNCTOR_ADDRESSES } from '../abi/deployment.js';
import type { AccountKind } from '../accounts/kinds.js';
import { CANONICAL } from './canonical.js';
import type { NetworkAddresses } from './networks.js';

export const KNOWN_CHAINS = [mainnet, base, arbitrum, optimism, polygon, sepolia, baseSepolia, arbitrumSepolia, optimismSepolia, polygonAmoy] as const;

export type KnownNetwork = { chainId: number; name: string; explorerUrl?: string; testnet: boolean };

export const KNOWN_NETWORKS: KnownNetwork[] = KNOWN_CHAINS.map((c) => ({
  chainId: c.id,
  name: c.name,
  ...(c.blockExplorers?.default.url && { explorerUrl: c.blockExplorers.default.url }),
  testnet: !!(c as { testnet?: boolean }).testnet,
}));

export const knownNetwork = (chainId: number) => KNOWN_NETWORKS.find((n) => n.chainId === chainId);

/**
 * The account kinds the wallet derives on a public network. Nexus is left out: Biconomy makes
 * Nexus accounts with its K1ValidatorFactory, which Functor does not speak yet (the devnet uses
 * modulekit's NexusAccountFactory), so an owner's Nexus account is imported by address instead.
 */
export const PUBLIC_KINDS: AccountKind[] = ['kernel', 'safe'];

/** A public network's addresses: the canonical account contracts, and Functor where it deploys everywhere. */
export function publicNetworkAddresses(): NetworkAddresses {
  return {
    entryPoint: CANONICAL.entryPoint,
    functor: { ...FUNCTOR_ADDRESSES },
    kernel: { ...CANONICAL.kernel },
    // No factory Functor can call (PUBLIC_KINDS): zero, so nothing is ever derived from them.
    nexus: { implementation: zeroAddress, factory: zeroAddress, bootstrap: zeroAddress, ownerValidator: CANONICAL.nexus.ownerValidator },
    safe: { ...CANONICAL.safe },
  };
}
