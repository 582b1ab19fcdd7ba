// Carrying out an approved permission: one keyId, enabled on every account the user chose, with
// the same policy on each. First the targets are checked against each account's machinery (no
// owner op is sent for a grant the hook would refuse). Accounts other than the first that lack
// Functor get their own op first (deploying them, so that their ERC-1271 consent verifies, and
// installing Functor, with its ERC-7710 executor where the chain has a DelegationManager); the first account then registers the key with those accounts' consents and
// sets its own policy; then each other account sets its policy (setPolicies reverts KeyNotActive
// until the key is enabled on the calling account). Each account's op ceiling is counted from its
// own lane's sequence. Each step reports progress; any failure stops there with a message, and
// what already landed stays visible onchain.
import { type Address, type Hex, type LocalAccount, toHex, zeroAddress } from 'viem';
import { keyStoreAbi } from '../abi/generated.js';
import { publicClientFor, smartAccountClientFor } from '../accounts/clients.js';
import { functorExecutorInstallCall, functorInstallCalls, functorInstalled, functorStatus } from '../accounts/functorModules.js';
import { enableTypedData, signEnableConsent } from '../keystore/consent.js';
import { type EnableAuth, registerCall, revokeCall, selfAuth } from '../keystore/calls.js';
import { ecdsaSignerId, keyIdFor } from '../keystore/ids.js';
import { grantState } from '../keystore/read.js';
import { assertNoMachineryTargets } from '../accounts/machinery.js';
import { readLaneSequence } from '../accounts/nonceKey.js';
import { ownerValidatorOf } from '../accounts/toOwnerAccount.js';
import { encodeSetPolicies, type Permission } from '../permissions/index.js';
import type { FunctorPermissionContext } from '../permissions/context.js';
import type { Call } from '../functorMode.js';
import type { WalletNetwork } from '../networks/networks.js';
import { KIND_NAMES, networkClients, type OwnerAccount } from './accounts.js';
import { sendOwnerUserOp } from './ownerNonce.js';

/** Sends one owner op and waits for it; a reverted op or a dead bundler becomes a plain message. */
export async function ownerOp(net: WalletNetwork, a: OwnerAccount, calls: Call[], what: string, onStep?: OnStep): Promise<Hex> {
  const client = smartAccountClientFor(networkClients(net), a.account);
  let sent: Awaited<ReturnType<typeof sendOwnerUserOp>>;
  await onStep?.('signing');
  try {
    sent = await sendOwnerUserOp(client, a.account, calls, net.chainId);
  } catch (e) {
    await onStep?.('failed', { failedAt: 'signing' });
    throw new Error(`${what} on ${KIND_NAMES[a.kind]} was not sent: ${reasonOf(e, net)}`);
  }
  const hash = sent.hash;
  await onStep?.('sent');
  const receipt = await client
    .waitForUserOperationReceipt({ hash, timeout: 60_000 })
    .catch(async (e) => {
      await onStep?.('failed', { failedAt: 'landed' });
      throw new Error(`${what} on ${KIND_NAMES[a.kind]}: no receipt (${reasonOf(e, net)})`);
    })
    .finally(sent.release);
  if (!receipt.success) {
    await onStep?.('failed', { failedAt: 'landed', transaction: receipt.receipt.transactionHash });
    throw new Error(`${what} on ${KIND_NAMES[a.kind]} reverted onchain (transaction ${receipt.receipt.transactionHash})`);
  }
  await onStep?.('landed', { transaction: receipt.receipt.transactionHash });
  return receipt.receipt.transactionHash;
}

/** Where an owner operation is: being signed, sent to the bundler, landed onchain (or failed). */
export type OpStep = 'signing' | 'sent' | 'landed' | 'failed';
export type StepDetail = { transaction?: Hex; failedAt?: 'signing' | 'landed' };
export type OnStep = (step: OpStep, detail?: StepDetail) => Promise<unknown>;

/** A short reason for the user: an unreachable bundler or chain, or the bundler's own words. */
export function reasonOf(e: unknown, net: WalletNetwork): string {
  const text = e instanceof Error ? `${e.message} ${(e as { details?: string }).details ?? ''}` : String(e);
  if (/fetch failed|ECONNREFUSED|Failed to fetch|HTTP request failed|timed out|took too long/i.test(text)) {
    return /bundler|4337/.test(text) || text.includes(net.bundlerUrl)
      ? `the bundler at ${net.bundlerUrl} does not answer`
      : `the network does not answer (chain ${net.rpcUrl}, bundler ${net.bundlerUrl})`;
  }
  if (/AA21/.test(text)) return 'the account has no ETH to pay for gas: fund it first';
  const details = (e as { details?: string }).details ?? (e as { shortMessage?: string }).shortMessage;
  return (details ?? text).split('\n')[0]!.trim().slice(0, 300);
}

export type GrantResult = { keyId: bigint; salt: Hex; transactions: Hex[] };

/**
 * What a grant's answer carries for one account: the chain, the keyId, the modules, and the chain's
 * DelegationManager (the ERC-7710 path executeGrant opened on the account) when it has one.
 */
export function grantContext(net: WalletNetwork, acc: { address: Address; kind: OwnerAccount['kind'] }, keyId: bigint): FunctorPermissionContext {
  const f = net.addresses.functor;
  const dm = net.addresses.delegationFramework?.DelegationManager;
  return {
    chainId: net.chainId,
    account: acc.address,
    keyId,
    // FunctorValidator roots the ERC-7710 delegation; the hook is the module the key's ops go to.
    validator: f.validator,
    hook: f.policyHook,
    kind: acc.kind,
    ...(dm && { delegationManager: dm }),
  };
}

export async function executeGrant(p: {
  net: WalletNetwork;
  owner: LocalAccount;
  accounts: OwnerAccount[];
  signer: Address;
  permission: Permission;
  salt?: Hex;
  progress: (text: string) => Promise<unknown>;
  /** Each owner operation's steps, named by what it does on which account (the window's stepper). */
  step?: (label: string, step: OpStep, detail?: StepDetail) => Promise<unknown>;
}): Promise<GrantResult> {
  const { net, owner, accounts } = p;
  const f = net.addresses.functor;
  const client = publicClientFor(networkClients(net));
  const [first, ...others] = accounts;
  if (!first) throw new Error('No account chosen');
  const salt = p.salt ?? toHex(crypto.getRandomValues(new Uint8Array(32)));
  const keyId = keyIdFor(first.address, salt);
  await assertNoMachineryTargets(client, accounts, p.permission);
  /** setPolicies for `a`, the op bound counted from its lane's sequence now. */
  const setPoliciesOn = async (a: OwnerAccount): Promise<Call> => {
    const sequence = await readLaneSequence(client, { entryPoint: net.addresses.entryPoint, account: a.address, module: f.policyHook, keyId, kind: a.kind });
    return { to: f.policyHook, data: encodeSetPolicies(keyId, p.permission, sequence) };
  };
  const transactions: Hex[] = [];
  const stepOf = (label: string): OnStep | undefined => p.step && ((step, detail) => p.step!(label, step, detail));

  // The chain's DelegationManager, if it has MetaMask's Delegation Framework: the ERC-7710 path.
  const dm = net.addresses.delegationFramework?.DelegationManager;
  const installIfNeeded = async (a: OwnerAccount): Promise<Call[]> => {
    const s = await functorStatus(a.kind, client, a.address, f);
    const calls = functorInstalled(s) ? [] : await functorInstallCalls(a.kind, a.account, f, s);
    // The executor is added once; an account that trusts another DelegationManager keeps it (the
    // owner chose it), and its grants answer with the one it trusts.
    if (dm && s.delegationManager === zeroAddress) calls.push(...functorExecutorInstallCall(a.kind, a.account, f, dm));
    return calls.map((c) => ({ to: c.to, data: c.data, value: c.value }));
  };

  for (const a of others) {
    const install = await installIfNeeded(a);
    if (!install.length) continue;
    await p.progress(`${KIND_NAMES[a.kind]}: installing Functor…`);
    transactions.push(await ownerOp(net, a, install, 'Installing Functor', stepOf(`${KIND_NAMES[a.kind]}: install Functor`)));
  }
  const auths: EnableAuth[] = [selfAuth(first.address)];
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  for (const a of others) {
    const nonce = await client.readContract({ address: f.keyStore, abi: keyStoreAbi, functionName: 'nonces', args: [a.address] });
    const typedData = enableTypedData({ chainId: net.chainId, keyStore: f.keyStore, keyId, account: a.address, nonce, deadline });
    auths.push(await signEnableConsent({ kind: a.kind, account: a.account, owner, ownerValidator: ownerValidatorOf(net.addresses, a.kind), typedData }));
  }
  const install = await installIfNeeded(first);
  await p.progress(
    `${KIND_NAMES[first.kind]}: ${install.length ? 'installing Functor, ' : ''}registering the key${others.length ? ` on ${accounts.length} accounts` : ''} and setting the policy…`,
  );
  transactions.push(
    await ownerOp(
      net,
      first,
      [...install, registerCall(f.keyStore, salt, [ecdsaSignerId(p.signer)], auths), await setPoliciesOn(first)],
      'Registering the key',
      stepOf(`${KIND_NAMES[first.kind]}: ${install.length ? 'install Functor, ' : ''}register the key and set its policy`),
    ),
  );
  for (const a of others) {
    await p.progress(`${KIND_NAMES[a.kind]}: setting the policy…`);
    transactions.push(await ownerOp(net, a, [await setPoliciesOn(a)], 'Setting the policy', stepOf(`${KIND_NAMES[a.kind]}: set the policy`)));
  }
  for (const a of accounts) {
    const state = await grantState(client, f.keyStore, keyId, a.address);
    if (state !== 'enabled') throw new Error(`The key landed but is ${state} on ${KIND_NAMES[a.kind]}`);
  }
  await p.progress('Granted: the key is registered and enabled onchain.');
  return { keyId, salt, transactions };
}

/** Revoking a key once, from the account that registered it: dead on every account at once. */
export async function executeRevoke(p: { net: WalletNetwork; controller: OwnerAccount; keyId: bigint }): Promise<Hex> {
  return ownerOp(p.net, p.controller, [revokeCall(p.net.addresses.functor.keyStore, p.keyId)], 'Revoking the key');
}
