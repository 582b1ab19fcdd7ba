// The KeyStore's writes as calls an account (or any sender) can batch into one UserOp.
import { type Address, encodeFunctionData, type Hex } from 'viem';
import { keyStoreAbi } from '../abi/generated.js';

export interface EnableAuth {
  account: Address;
  /** 0 when the account itself sends the call. */
  deadline: bigint;
  /** Empty when the account itself sends the call; else its ERC-1271 signature over enableDigest. */
  signature: Hex;
}

const call = (keyStore: Address, data: Hex) => ({ to: keyStore, value: 0n, data });

export const selfAuth = (account: Address): EnableAuth => ({ account, deadline: 0n, signature: '0x' });

export function registerCall(keyStore: Address, salt: Hex, signers: Hex[], auths: EnableAuth[]) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'register', args: [salt, signers, auths] }));
}

export function enableCall(keyStore: Address, keyId: bigint, auths: EnableAuth[]) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'enable', args: [keyId, auths] }));
}

export function disableCall(keyStore: Address, keyId: bigint, account: Address) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'disable', args: [keyId, account] }));
}

export function revokeCall(keyStore: Address, keyId: bigint) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'revoke', args: [keyId] }));
}

export function rotateSignerCall(keyStore: Address, keyId: bigint, oldSigner: Hex, newSigner: Hex) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'rotateSigner', args: [keyId, oldSigner, newSigner] }));
}

export function transferControlCall(keyStore: Address, keyId: bigint, to: Address) {
  return call(keyStore, encodeFunctionData({ abi: keyStoreAbi, functionName: 'transferControl', args: [keyId, to] }));
}
