// Key and signer identifiers, computed exactly as the KeyStore does (contracts/src/KeyStore.sol).
import { type Address, encodeAbiParameters, type Hex, hexToBigInt, keccak256, pad, slice } from 'viem';

/** The keyId `registrant` gets for `salt` (known before the transaction). */
export function keyIdFor(registrant: Address, salt: Hex): bigint {
  const h = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'bytes32' }], [registrant, salt]));
  return hexToBigInt(slice(h, 32 - 22));
}

/** A secp256k1 signer's id: its address, left-padded. */
export function ecdsaSignerId(signer: Address): Hex {
  return pad(signer, { size: 32 });
}

/** A P-256 signer's id. */
export function p256SignerId(x: Hex, y: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [x, y]));
}
