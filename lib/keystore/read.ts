// KeyStore reads any app can make.
import type { Address, Chain, Client, PublicClient, Transport } from 'viem';
import { readContract } from 'viem/actions';
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

/** The key's grant on the account as the KeyStore encodes it (0 none, 1 enabled, 2 revoked; the
 * number refusals carry, as in KeyNotActive(keyId, state)). Any viem client. */
export function grantStateCode(client: Client, keyStore: Address, keyId: bigint, account: Address): Promise<number> {
  return readContract(client, { address: keyStore, abi: keyStoreAbi, functionName: 'grantState', args: [keyId, account] });
}

export async function grantState(client: PublicClient<Transport, Chain>, keyStore: Address, keyId: bigint, account: Address) {
  return GRANT_STATE[await grantStateCode(client, keyStore, keyId, account)] ?? 'none';
}

export async function activeKeysOf(client: PublicClient<Transport, Chain>, keyStore: Address, account: Address) {
  return client.readContract({ address: keyStore, abi: keyStoreAbi, functionName: 'activeKeysOf', args: [account] });
}
