// What a grant's `context` names (the chain, the account, the keyId, the modules, the account
// kind), and the part of it a session key acts with. The wire encoding of the context is ERC-7715's
// (lib/erc7715/response.ts); the agent reads it through these types, so neither imports the other.
import type { Address } from 'viem';
import { entryPoint07Address } from 'viem/account-abstraction';
import type { AccountKind } from '../accounts/kinds.js';

/** What `context` (ERC-7715) / `permissionsContext` (draft) encodes. */
export type FunctorPermissionContext = {
  chainId: number;
  /** The smart account the key acts on. */
  account: Address;
  keyId: bigint;
  /**
   * FunctorValidator: the ERC-7710 executor, the delegation's delegator and caveat enforcer
   * (lib/erc7715/response.ts). It validates no UserOp.
   */
  validator: Address;
  /** FunctorPolicyHook: the module that validates the key's UserOps and is the hook around them. */
  hook: Address;
  kind: AccountKind;
  /**
   * MetaMask's DelegationManager on the chain, which redeems the context (ERC-7710) into the
   * account through FunctorValidator; absent where the chain has none (the UserOp path only).
   */
  delegationManager?: Address;
};

/** What a session key needs to act on the account (lib/agent/sessionAccount.ts). */
export interface SessionContext {
  kind: AccountKind;
  account: Address;
  keyId: bigint;
  /**
   * The module that validates the key's ops (FunctorPolicyHook, validator and hook at one address):
   * its address is in the key's lane (the nonce key that routes an op to it), and it holds the
   * key's policies.
   */
  module: Address;
  entryPoint: Address;
}

/** What the agent library needs from a context (the EntryPoint is v0.7's canonical address). */
export function sessionContextOf(c: FunctorPermissionContext, entryPoint: Address = entryPoint07Address): SessionContext {
  return { kind: c.kind, account: c.account, keyId: c.keyId, module: c.hook, entryPoint };
}
