// A key that retires itself: one of its signers signs KeyStore's EIP-712 `Surrender(keyId)`, and
// anyone submits `KeyStore.surrender(keyId, signer, signature)` (an agent with no ETH hands the
// signature to anyone who will pay the gas). The signature is bound to the keyId, the KeyStore and
// the chain, and ends the key on every account of that chain; it can do nothing else.
import { type Address, encodeFunctionData, type Hex, type LocalAccount } from 'viem';
import { keyStoreAbi } from '../abi/generated.js';
import { ecdsaSignerId } from './ids.js';

export function surrenderTypedData(p: { chainId: number; keyStore: Address; keyId: bigint }) {
  return {
    domain: { name: 'Functor KeyStore', version: '1', chainId: p.chainId, verifyingContract: p.keyStore },
    types: { Surrender: [{ name: 'keyId', type: 'uint176' }] },
    primaryType: 'Surrender' as const,
    message: { keyId: p.keyId },
  };
}

/** The session signer's surrender of `keyId`: what it signs, and the call anyone may send. */
export async function signSurrender(p: {
  chainId: number;
  keyStore: Address;
  keyId: bigint;
  signer: LocalAccount;
}): Promise<{ signer: Hex; signature: Hex; call: { to: Address; data: Hex } }> {
  const signature = await p.signer.signTypedData(surrenderTypedData(p));
  const signer = ecdsaSignerId(p.signer.address);
  return {
    signer,
    signature,
    call: { to: p.keyStore, data: encodeFunctionData({ abi: keyStoreAbi, functionName: 'surrender', args: [p.keyId, signer, signature] }) },
  };
}
