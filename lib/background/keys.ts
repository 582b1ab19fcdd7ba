// The keys the owner controls, read from chain: every keyId registered by one of the owner's
// accounts (KeyRegistered events), with its accounts, signers, policies in words and usage against
// limits; a key's history; and the owner's actions on it (revoke everywhere, disable on one
// account, rotate the signer, change its policy without resetting counters).
import { getAbiItem, getAddress, parseEventLogs, type Address, type Hex } from 'viem';
import { entryPoint07Abi } from 'viem/account-abstraction';
import { functorPolicyHookAbi, keyStoreAbi } from '../abi/generated.js';
import { keyExecuted, readHistory, type HistoryEntry } from '../audit/history.js';
import { readUsage } from '../permissions/usage.js';
import { readBlockTimestamps } from '../audit/blockTimes.js';
import { disableCall, rotateSignerCall } from '../keystore/calls.js';
import { ecdsaSignerId } from '../keystore/ids.js';
import { readKey } from '../keystore/read.js';
import { describePermission, encodeSetPolicies, fromPolicies, isEmptyPolicies, type Permission } from '../permissions/index.js';
import { assertNoMachineryTargets } from '../accounts/machinery.js';
import type { KeyHistory, KeyOnAccount, KeyView } from '../protocol/views.js';
import { nonceKeyRoutesTo, readLaneSequence } from '../accounts/nonceKey.js';
import { KIND_NAMES, type OwnerAccount } from './accounts.js';
import type { BackgroundContext } from './context.js';
import { markRevoked, revokeOn } from './grants.js';
import { ownerOp } from './grant.js';
import type { GrantRecord } from './state.js';
import type { WalletNetwork } from '../networks/networks.js';
import { readTokenInfos } from './tokens.js';
import type { BlockedAttempt } from './alerts.js';

const keyRegistered = getAbiItem({ abi: keyStoreAbi, name: 'KeyRegistered' });

const byAddress = (owned: OwnerAccount[], a: Address) => owned.find((o) => o.address === getAddress(a));

/** The network a key action names (a key lives per chain), or else the active one. */
export async function networkOf(ctx: BackgroundContext, networkId?: string): Promise<WalletNetwork> {
  if (networkId === undefined) return ctx.activeNetwork();
  const net = (await ctx.networks()).find((n) => n.id === networkId);
  if (!net) throw new Error('That network is not in this wallet any more');
  return net;
}

/**
 * Every key the owner's accounts registered, on every network of the wallet. A key one approval
 * granted on several chains (grant records sharing a group) is one entry, its accounts each with
 * their chain. A network other than the active one that does not answer is reported, not fatal.
 */
export async function listKeys(ctx: BackgroundContext): Promise<{ keys: KeyView[]; unreachable: { name: string; chainId: number; error: string }[] }> {
  const active = await ctx.activeNetwork();
  const nets = (await ctx.networks()).sort((a, b) => Number(b.id === active.id) - Number(a.id === active.id));
  const grants = await ctx.state.grants.read();
  const read = await Promise.allSettled(nets.map((net) => keysOn(ctx, net, grants)));
  const unreachable: { name: string; chainId: number; error: string }[] = [];
  const perChain: { view: KeyView; group?: string }[] = [];
  read.forEach((r, i) => {
    const net = nets[i]!;
    if (r.status === 'fulfilled') perChain.push(...r.value);
    // The active network's keys are the screen's subject: not reading them is an error.
    else if (net.id === active.id) throw r.reason;
    else unreachable.push({ name: net.name, chainId: net.chainId, error: r.reason instanceof Error ? r.reason.message.split('\n')[0]! : String(r.reason) });
  });
  const keys: KeyView[] = [];
  const byGroup = new Map<string, KeyView>();
  for (const { view, group } of perChain) {
    const into = group === undefined ? undefined : byGroup.get(group);
    if (!into) {
      keys.push(view);
      if (group !== undefined) byGroup.set(group, view);
      continue;
    }
    into.accounts.push(...view.accounts);
    into.chains.push(...view.chains);
    into.revoked &&= view.revoked;
    into.signers = [...new Set([...into.signers, ...view.signers])];
    into.tokens = { ...view.tokens, ...into.tokens };
    into.lastActivity = Math.max(into.lastActivity, view.lastActivity);
  }
  // Newest activity first; revoked keys after live ones.
  keys.sort((a, b) => Number(a.revoked) - Number(b.revoked) || b.lastActivity - a.lastActivity);
  return { keys, unreachable };
}

/** The keys on one network, each with the group of the grant that made it (if a site's). */
async function keysOn(ctx: BackgroundContext, net: WalletNetwork, grants: GrantRecord[]): Promise<{ view: KeyView; group?: string }[]> {
  const client = ctx.client(net);
  const owned = await ctx.ownerAccounts(net);
  // No account here: nothing of the owner's (an empty topic list would match every key on the chain).
  if (!owned.length) return [];
  const f = net.addresses.functor;
  const logs = await client.getLogs({ address: f.keyStore, event: keyRegistered, args: { controller: owned.map((o) => o.address) }, fromBlock: 0n });
  const names = await ctx.state.keyNames.read();
  const executed = await client.getLogs({ address: f.policyHook, event: keyExecuted, fromBlock: 0n, args: { account: owned.map((o) => o.address) } });
  const lastBlock = new Map<bigint, bigint>();
  for (const l of executed) lastBlock.set(l.args.keyId!, l.blockNumber);

  return Promise.all(
    logs.map(async (log) => {
      const keyId = log.args.keyId!;
      const key = await readKey(client, f.keyStore, keyId);
      const grant = grants.find((g) => g.networkId === net.id && g.keyId === keyId.toString());
      const accounts = await Promise.all(
        key.accounts.map(async (a): Promise<KeyOnAccount> => {
          const own = byAddress(owned, a);
          const [raw, sequence] = await Promise.all([
            client.readContract({ address: f.policyHook, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [a, keyId] }),
            readLaneSequence(client, { entryPoint: net.addresses.entryPoint, account: a, module: f.policyHook, keyId, ...(own && { kind: own.kind }) }),
          ]);
          // gas.maxOps comes back as the ops left on this account.
          const permission = isEmptyPolicies(raw) ? undefined : fromPolicies(raw, sequence);
          return {
            networkId: net.id,
            chain: net.name,
            keyId,
            kind: own?.kind ?? 'other',
            name: own ? KIND_NAMES[own.kind] : 'Other account',
            address: getAddress(a),
            lines: [],
            ...(permission && { permission }),
            spends: [],
          };
        }),
      );
      const tokenAddrs = accounts.flatMap((a) => a.permission?.spend.map((s) => s.token).filter((t): t is Address => t !== 'native') ?? []);
      const tokens = await readTokenInfos(client, tokenAddrs);
      const nowS = Math.floor(ctx.now() / 1000);
      for (const a of accounts) {
        if (!a.permission) {
          a.lines = ['No policy here: the key cannot act on this account'];
          continue;
        }
        a.lines = describePermission(a.permission, tokens, nowS);
        const usage = await readUsage(client, { hook: f.policyHook, account: a.address, keyId, tokens });
        a.spends = usage.spends.map((s) => ({ token: s.spend.token, used: s.used, limit: s.spend.limit, period: s.spend.period, resetsAt: s.resetsAt }));
        if (usage.rate && a.permission.rate) a.rate = { used: usage.rate.used, max: usage.rate.max, seconds: a.permission.rate.seconds };
      }
      const expiry = accounts.map((a) => a.permission?.expiry).find((e) => e !== undefined);
      const last = lastBlock.get(keyId) ?? log.blockNumber;
      const view = {
        keyId,
        name: names[keyId.toString()] ?? grant?.origin ?? `Key ${keyId.toString(16).slice(0, 8)}`,
        ...(grant && { origin: grant.origin }),
        controller: key.controller,
        revoked: key.revoked,
        registeredAt: key.registeredAt,
        signers: [...key.signers],
        ...(expiry !== undefined && { expiry }),
        accounts,
        chains: [{ networkId: net.id, name: net.name, chainId: net.chainId, keyId, revoked: key.revoked }],
        lastActivity: Number(last),
        tokens,
      } satisfies KeyView;
      return { view, ...(grant?.group !== undefined && { group: grant.group }) };
    }),
  );
}

const timestampCache = new Map<bigint, number>();

/**
 * What a key did (its KeyExecuted events on every account) and the attempts that were blocked in
 * execution on those accounts (failed UserOps whose nonce key routes to Functor's module: a session op).
 */
export async function keyHistory(ctx: BackgroundContext, keyId: bigint, accounts: Address[], networkId?: string): Promise<KeyHistory> {
  const net = await networkOf(ctx, networkId);
  const client = ctx.client(net);
  const f = net.addresses.functor;
  const executed = await readHistory(client, { hook: f.policyHook, entryPoint: net.addresses.entryPoint, keyId });
  const blocked: HistoryEntry[] = [];
  for (const account of accounts) {
    const h = await readHistory(client, { hook: f.policyHook, entryPoint: net.addresses.entryPoint, account, keyId });
    for (const e of h.entries) if (e.kind === 'blocked' && (await isSessionOp(ctx, net, e, f.policyHook))) blocked.push(e);
  }
  const entries = [...executed.entries, ...blocked].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  const timestamps = await readBlockTimestamps(
    client,
    entries.map((e) => e.blockNumber),
    timestampCache,
  );
  return {
    entries,
    total: entries.length,
    timestamps: [...timestamps.entries()].filter(([b]) => entries.some((e) => e.blockNumber === b)),
    ...(net.explorerUrl && { explorerUrl: net.explorerUrl }),
  };
}

/**
 * A UserOp's nonce key carries its validator (ERC-7579 accounts): Functor's module means a session
 * key. The key, not the calldata: the owner's own ops name the module too (setPolicies goes to it).
 */
async function isSessionOp(ctx: BackgroundContext, net: WalletNetwork, e: { transactionHash: Hex; userOpHash: Hex }, module: Address): Promise<boolean> {
  const receipt = await ctx.client(net).getTransactionReceipt({ hash: e.transactionHash });
  const ep = net.addresses.entryPoint.toLowerCase();
  const op = parseEventLogs({ abi: entryPoint07Abi, eventName: 'UserOperationEvent', logs: receipt.logs }).find(
    (l) => l.address.toLowerCase() === ep && l.args.userOpHash === e.userOpHash,
  );
  return op !== undefined && nonceKeyRoutesTo(op.args.nonce >> 64n, module);
}

async function controllerOf(ctx: BackgroundContext, keyId: bigint, networkId?: string) {
  const net = await networkOf(ctx, networkId);
  const key = await readKey(ctx.client(net), net.addresses.functor.keyStore, keyId);
  const controller = byAddress(await ctx.ownerAccounts(net), key.controller);
  if (!controller) throw new Error("This key was not registered by one of this wallet's accounts");
  return { net, key, controller };
}

/**
 * Revokes the key on one chain (the popup sends one of these per chain at once, and shows each
 * chain's answer as it comes). Reported revoked only once the chain says so; a key already revoked
 * there costs nothing.
 */
export async function revokeKey(
  ctx: BackgroundContext,
  keyId: bigint,
  networkId?: string,
): Promise<{ chain: { name: string; chainId: number }; already?: true }> {
  const { net, key, controller } = await controllerOf(ctx, keyId, networkId);
  const chain = { name: net.name, chainId: net.chainId };
  if (key.revoked) {
    await markRevoked(ctx, net.id, keyId);
    return { chain, already: true };
  }
  await revokeOn(ctx, net, controller, keyId);
  return { chain };
}

export async function disableKey(ctx: BackgroundContext, keyId: bigint, account: Address, networkId?: string) {
  const net = await networkOf(ctx, networkId);
  const own = byAddress(await ctx.ownerAccounts(net), account);
  if (!own) throw new Error("Not one of this wallet's accounts");
  await ownerOp(net, own, [disableCall(net.addresses.functor.keyStore, keyId, own.address)], 'Disabling the key');
}

export async function rotateSigner(ctx: BackgroundContext, keyId: bigint, oldSigner: Hex, newSigner: Address, networkId?: string) {
  const { net, controller } = await controllerOf(ctx, keyId, networkId);
  await ownerOp(net, controller, [rotateSignerCall(net.addresses.functor.keyStore, keyId, oldSigner, ecdsaSignerId(newSigner))], 'Rotating the signer');
}

/** A new policy for the key on each of its accounts (counters keep counting: same keyId). */
export async function editPolicy(ctx: BackgroundContext, keyId: bigint, permission: Permission, accounts: Address[], networkId?: string) {
  const net = await networkOf(ctx, networkId);
  const owned = await ctx.ownerAccounts(net);
  const client = ctx.client(net);
  const f = net.addresses.functor;
  const mine = accounts.map((a) => {
    const own = byAddress(owned, a);
    if (!own) throw new Error(`${a} is not one of this wallet's accounts`);
    return own;
  });
  await assertNoMachineryTargets(client, mine, permission);
  for (const own of mine) {
    // permission.gas.maxOps: ops allowed from now on this account (its lane's sequence now).
    const sequence = await readLaneSequence(client, {
      entryPoint: net.addresses.entryPoint,
      account: own.address,
      module: f.policyHook,
      keyId,
      kind: own.kind,
    });
    await ownerOp(net, own, [{ to: f.policyHook, data: encodeSetPolicies(keyId, permission, sequence) }], 'Changing the policy');
  }
}

/** An account's whole trail: every key's executions on it and every blocked op. */
export async function accountHistory(ctx: BackgroundContext, account: Address): Promise<KeyHistory> {
  const net = await ctx.activeNetwork();
  const client = ctx.client(net);
  const { entries } = await readHistory(client, { hook: net.addresses.functor.policyHook, entryPoint: net.addresses.entryPoint, account });
  const timestamps = await readBlockTimestamps(
    client,
    entries.map((e) => e.blockNumber),
    timestampCache,
  );
  return {
    entries,
    total: entries.length,
    timestamps: [...timestamps.entries()].filter(([b]) => entries.some((e) => e.blockNumber === b)),
    ...(net.explorerUrl && { explorerUrl: net.explorerUrl }),
  };
}

/**
 * Blocked session-key attempts that landed since `fromBlock` on the owner's accounts (for the
 * toolbar notification), and the block to look from next time.
 */
export async function blockedSince(ctx: BackgroundContext, fromBlock: bigint | undefined): Promise<{ blocked: BlockedAttempt[]; next: bigint }> {
  const net = await ctx.activeNetwork();
  const client = ctx.client(net);
  const head = await client.getBlockNumber();
  // First look, or a chain that went back (a devnet restarted): start from now.
  if (fromBlock === undefined || fromBlock > head + 1n) return { blocked: [], next: head + 1n };
  if (fromBlock === head + 1n) return { blocked: [], next: fromBlock };
  const blocked: BlockedAttempt[] = [];
  for (const a of await ctx.ownerAccounts(net)) {
    const h = await readHistory(client, { hook: net.addresses.functor.policyHook, entryPoint: net.addresses.entryPoint, account: a.address, fromBlock });
    for (const e of h.entries)
      if (e.kind === 'blocked' && (await isSessionOp(ctx, net, e, net.addresses.functor.policyHook))) blocked.push({ ...e, networkId: net.id });
  }
  return { blocked, next: head + 1n };
}
