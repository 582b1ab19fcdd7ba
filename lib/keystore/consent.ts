// An account's ERC-1271 consent to a keyId being enabled on it (KeyStore.EnableKey, EIP-712).
import { type Address, concatHex, hashTypedData, type Hex, type LocalAccount } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { AccountKind } from '../accounts/kinds.js';
import type { EnableAuth } from './calls.js';

export function enableTypedData(p: { chainId: number; keyStore: Address; keyId: bigint; account: Address; nonce: bigint; deadline: bigint }) {
  return {
    domain: { name: 'Functor KeyStore', version: '1', chainId: p.chainId, verifyingContract: p.keyStore },
    types: {
      EnableKey: [
        { name: 'keyId', type: 'uint176' },
        { name: 'account', type: 'address' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'EnableKey' as const,
    message: { keyId: p.keyId, account: p.account, nonce: p.nonce, deadline: p.deadline },
  };
}

/**
 * The account's signature over the EnableKey digest. Kernel and Safe sign through their SDKs.
 * Nexus routes ERC-1271 to the validator named in the signature's first 20 bytes; the devnet's
 * owner validator checks the digest itself (permissionless wraps it for Biconomy's K1Validator).
 */
export async function signEnableConsent(p: {
  kind: AccountKind;
  account: SmartAccount;
  owner: LocalAccount;
  ownerValidator: Address;
  typedData: ReturnType<typeof enableTypedData>;
}): Promise<EnableAuth> {
  let signature: Hex;
  if (p.kind === 'nexus') {
    signature = concatHex([p.ownerValidator, await p.owner.signMessage({ message: { raw: hashTypedData(p.typedData) } })]);
  } else {
    signature = await p.account.signTypedData(p.typedData);
  }
  return { account: p.account.address, deadline: p.typedData.message.deadline, signature };
}
