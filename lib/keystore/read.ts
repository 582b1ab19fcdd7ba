// KeyStore reads any app can make.
import type { Address, Chain, PublicClient, Transport } from 'viem';
import { keyStoreAbi } from '../abi/generated.js';

export const GRANT_STATE = ['none', 'enabled', 'revoked'] as const;

export async function readKey(client: PublicClient<Transport, Chain>, keyStore: Address, keyId: bigint) {
  const [controller, revoked, registeredAt, signers, accounts] = await client.readContract({
    address: keyStore,
    abi: keyStoreAbi,
    functionName: 'keyInfo',
    args: [keyId],
  });
  return { keyId, controller, revoked, registeredAt: Number(registeredAt), signers, accounts };
}

export async function grantState(client: PublicClient<Transport, Chain>, keyStore: Address, keyId: bigint, account: Address) {
  const s = await client.readContract({ address: keyStore, abi: keyStoreAbi, functionName: 'grantState', args: [keyId, account] });
  return GRANT_STATE[s] ?? 'none';
}

export async function activeKeysOf(client: PublicClient<Transport, Chain>, keyStore: Address, account: Address) {
  return client.readContract({ address: keyStore, abi: keyStoreAbi, functionName: 'activeKeysOf', args: [account] });
}
