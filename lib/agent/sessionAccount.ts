// A session key's view of a smart account, as a viem SmartAccount: calls are encoded in the
// Functor mode carrying the keyId (Kernel: behind `executeUserOp`, so the validator's hook runs),
// the nonce key (the key's lane) routes the op to Functor's module (FunctorPolicyHook, validator and
// hook at one address), and the signature is `0x00 ‖ ecdsa` over the EIP-191 hash of the
// userOpHash. Session keys never sign messages for the account.
import { type Address, type Chain, concatHex, type Hex, type LocalAccount, type PublicClient, slice, type Transport } from 'viem';
import { entryPoint07Abi, getUserOperationHash, type SmartAccount, toSmartAccount } from 'viem/account-abstraction';
import { readContract } from 'viem/actions';
import { decode7579Calls } from 'permissionless';
import { laneNonceKey } from '../accounts/nonceKey.js';
import type { AccountKind } from '../accounts/kinds.js';
import { type Call, encodeFunctorExecute, EXECUTE_USER_OP_SELECTOR } from '../functorMode.js';
import type { SessionContext } from '../permissions/context.js';
import { sessionCallGas } from './callGas.js';

export type { SessionContext } from '../permissions/context.js';

// A well-formed signature that recovers to no signer: gas estimation runs the full validation.
const STUB_SIGNATURE: Hex = concatHex([
  '0x00',
  '0x7aa1f3e2b1f3c5d0e4a6a8e1b0c2d4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8',
  '0x1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a',
  '0x1c',
]);

/** The calls an op's callData carries (Kernel's behind `executeUserOp`), or undefined for callData this account did not encode. */
function callsOf(callData: Hex, kind: AccountKind): readonly Call[] | undefined {
  try {
    return decode7579Calls(kind === 'kernel' ? slice(callData, 4) : callData).callData;
  } catch {
    return undefined;
  }
}

export class SessionKeyCannotSign extends Error {
  constructor() {
    super('A Functor session key never signs messages or typed data for the account (ERC-1271 is refused onchain too).');
    this.name = 'SessionKeyCannotSign';
  }
}

export async function toFunctorSessionAccount(params: {
  client: PublicClient<Transport, Chain>;
  context: SessionContext;
  signer: LocalAccount;
}): Promise<SmartAccount> {
  const { client, context: c, signer } = params;
  const entryPoint = { abi: entryPoint07Abi, address: c.entryPoint, version: '0.7' as const };
  // The key's lane: the module accepts this key's ops on no other nonce key, and its op ceiling
  // counts this key's sequence (GasPolicy.opCeiling).
  const nonceKey = laneNonceKey(c.kind, c.module, c.keyId);
  return toSmartAccount({
    client,
    entryPoint,
    async getAddress() {
      return c.account;
    },
    async getFactoryArgs() {
      // Keys act on deployed accounts only (the owner deploys and installs Functor first).
      return { factory: undefined, factoryData: undefined };
    },
    async encodeCalls(calls) {
      const exec = encodeFunctorExecute(c.keyId, calls);
      return c.kind === 'kernel' ? concatHex([EXECUTE_USER_OP_SELECTOR, exec]) : exec;
    },
    async getNonce() {
      return readContract(client, {
        address: c.entryPoint,
        abi: entryPoint07Abi,
        functionName: 'getNonce',
        args: [c.account, nonceKey],
      });
    },
    async getStubSignature() {
      return STUB_SIGNATURE;
    },
    async signMessage() {
      throw new SessionKeyCannotSign();
    },
    async signTypedData() {
      throw new SessionKeyCannotSign();
    },
    userOperation: {
      // viem's prepareUserOperation runs this before asking the bundler, and keeps what it gives.
      async estimateGas(request) {
        if (request.callGasLimit !== undefined) return undefined;
        // Kernel always, Nexus and Safe7579 near a window's boundary: the account's figure (callGas.ts).
        const callGasLimit = await sessionCallGas(client, c, request.callData ? callsOf(request.callData, c.kind) : undefined);
        return callGasLimit === undefined ? undefined : { callGasLimit };
      },
    },
    async signUserOperation(op) {
      const { chainId = client.chain.id, ...userOperation } = op;
      const hash = getUserOperationHash({
        userOperation: { ...userOperation, sender: c.account, signature: '0x' },
        entryPointAddress: c.entryPoint,
        entryPointVersion: '0.7',
        chainId,
      });
      return concatHex(['0x00', await signer.signMessage({ message: { raw: hash } })]);
    },
  });
}
