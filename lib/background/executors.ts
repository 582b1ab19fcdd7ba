// What happens when the user answers an approval: the connection, the grant, the owner's calls or
// the revocation is carried out here, in the background, with progress written to the approval
// (the window shows it) and the dapp's answer at the end, success or a clear error.
import { BaseError, getAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';
import { asksOf, contextOfAnswer, DRAFT_METHOD, type PermissionAsk } from './asks.js';
import { smartAccountClientFor } from '../accounts/clients.js';
import { networkClients, type OwnerAccount } from './accounts.js';
import type { Approval } from './approvals.js';
import { sendOwnerUserOp } from './ownerNonce.js';
import type { BackgroundContext } from './context.js';
import { executeGrant, executeRevoke, ownerOp, reasonOf } from './grant.js';
import { rotateSignerCall } from '../keystore/calls.js';
import { ecdsaSignerId } from '../keystore/ids.js';
import { encodeSetPolicies, type TokenInfos } from '../permissions/index.js';
import { assertNoMachineryTargets } from '../accounts/machinery.js';
import { readLaneSequence } from '../accounts/nonceKey.js';
import type { GrantRecord } from './state.js';
import type { sendCallsSchema } from './dappRpc.js';
import type { Decision } from '../protocol/ui.js';
import { internalError, isWalletError, toWireError } from '../protocol/errors.js';
import { PermissionError } from '../permissions/errors.js';
import { PermissionRequestError } from '../erc7715/errors.js';
import { VaultError } from '../vault/errors.js';

export { decisionSchema, type Decision } from '../protocol/ui.js';

/** The request's asks as stored (same `now` as when it arrived: same numbers shown). */
export const translationsOf = (a: Approval, tokens?: TokenInfos): PermissionAsk[] => asksOf(a, tokens);

/** Applies the user's lowered limits; raising one, or lowering when the dapp forbade it, is refused. */
export function applyLimits(ts: PermissionAsk[], limits: string[][] | undefined): PermissionAsk[] {
  if (!limits) return ts;
  return ts.map((t, i) => {
    const mine = limits[i];
    if (!mine) return t;
    const spend = t.permission.spend.map((s, j) => {
      if (mine[j] === undefined) return s;
      const v = BigInt(mine[j]!);
      if (v === s.limit) return s;
      if (!t.isAdjustmentAllowed) throw new Error('The site does not allow its amounts to be changed');
      if (v > s.limit) throw new Error('An amount can only be lowered, not raised above what the site asked');
      if (v === 0n) throw new Error('An amount of 0 would make the permission useless: reject it instead');
      return { ...s, limit: v };
    });
    return { ...t, permission: { ...t.permission, spend } };
  });
}

function pickAccounts(all: OwnerAccount[], chosen: Address[] | undefined, preferred?: Address): OwnerAccount[] {
  if (!chosen?.length) {
    const first = (preferred && all.find((a) => a.address === getAddress(preferred))) ?? all[0];
    return first ? [first] : [];
  }
  return chosen.map((c) => {
    const a = all.find((x) => x.address === getAddress(c));
    if (!a) throw new Error(`${c} is not one of this wallet's accounts on this network`);
    return a;
  });
}

async function connect(ctx: BackgroundContext, origin: string, accounts: Address[]) {
  const all = await ctx.state.connections.read();
  const before = all[origin]?.accounts ?? [];
  const merged = [...new Set([...accounts, ...before])];
  all[origin] = { accounts: merged, connectedAt: all[origin]?.connectedAt ?? ctx.now() };
  await ctx.state.connections.write(all);
  if (merged.join() !== before.join()) ctx.deps.emit(origin, 'accountsChanged', merged);
  return merged;
}

async function run(ctx: BackgroundContext, a: Approval, d: Decision): Promise<unknown> {
  const progress = (text: string) => ctx.approvals.update(a.id, { addProgress: text });
  switch (a.kind) {
    case 'connect': {
      const net = await ctx.activeNetwork();
      const chosen = pickAccounts(await ctx.ownerAccounts(net), d.accounts);
      if (!chosen.length) throw new Error('Choose at least one account');
      return connect(ctx, a.origin, chosen.map((c) => c.address));
    }
    case 'permissions': {
      const net = await ctx.activeNetwork();
      const translations = applyLimits(translationsOf(a), d.limits);
      const owned = await ctx.ownerAccounts(net);
      const answers: unknown[] = [];
      if (d.replaceKey !== undefined) {
        const renewed = await renewKey(ctx, a, net, translations, d.replaceKey, progress);
        return a.method === DRAFT_METHOD ? renewed : [renewed];
      }
      for (const t of translations) {
        if (t.chainId !== net.chainId) throw new Error(`The wallet moved to chain ${net.chainId}; the request is for ${t.chainId}`);
        const chosen = pickAccounts(owned, d.accounts, t.from);
        if (!chosen.length) throw new Error('Choose at least one account');
        const owner = ctx.owner();
        const g = await executeGrant({ net, owner, accounts: chosen, signer: t.to, permission: t.permission, progress });
        const f = net.addresses.functor;
        const responses = chosen.map((acc) =>
          t.respond({ chainId: net.chainId, account: acc.address, keyId: g.keyId, validator: f.validator, hook: f.policyHook, kind: acc.kind }),
        );
        const record: GrantRecord = {
          origin: a.origin,
          networkId: net.id,
          chainId: net.chainId,
          keyId: g.keyId.toString(),
          type: t.type,
          signer: t.to,
          controller: chosen[0]!.address,
          accounts: chosen.map((c) => ({ kind: c.kind, address: c.address })),
          responses: responses as unknown as Record<string, unknown>[],
          contexts: responses.map(contextOfAnswer),
          createdAt: ctx.now(),
        };
        await ctx.state.grants.write([...(await ctx.state.grants.read()), record]);
        await connect(ctx, a.origin, chosen.map((c) => c.address));
        answers.push(responses[0]);
      }
      // The draft answers one object; ERC-7715 an array, one element per request element.
      return a.method === DRAFT_METHOD ? answers[0] : answers;
    }
    case 'sendCalls': {
      const [p] = a.params as z.infer<typeof sendCallsSchema>;
      const net = await ctx.activeNetwork();
      const conn = (await ctx.state.connections.read())[a.origin];
      const from = p.from ? getAddress(p.from) : conn?.accounts[0];
      const acc = (await ctx.ownerAccounts(net)).find((x) => x.address === from);
      if (!acc) throw new Error('The site named an account this wallet does not hold here');
      const client = smartAccountClientFor(networkClients(net), acc.account);
      await progress('Sending the transaction…');
      let hash: Hex;
      try {
        const calls = p.calls.map((c) => ({ to: getAddress(c.to), data: (c.data ?? '0x') as Hex, value: c.value ? BigInt(c.value) : 0n }));
        const sent = await sendOwnerUserOp(client, acc.account, calls);
        // The site gets its id now; the account's next owner op asks whether this one has landed.
        hash = sent.hash;
      } catch (e) {
        throw new Error(`Not sent: ${reasonOf(e, net)}`);
      }
      const bundles = await ctx.state.callBundles.read();
      bundles[hash.toLowerCase()] = { origin: a.origin, networkId: net.id, chainId: net.chainId, userOpHash: hash, from: acc.address };
      await ctx.state.callBundles.write(bundles);
      await progress(`Sent (UserOp ${hash.slice(0, 10)}…)`);
      return { id: hash };
    }
    case 'revoke': {
      const { permissionContext } = a.params as { permissionContext: Hex };
      const grant = (await ctx.state.grants.read()).find((g) => g.origin === a.origin && g.contexts.includes(permissionContext));
      if (!grant) throw new Error('That permission is gone');
      await progress('Revoking the key on every account…');
      await executeRevokeFor(ctx, grant);
      return {};
    }
  }
}

/** The user's answer. Rejecting answers 4001; approving runs the work and stores the answer. */
export async function decide(ctx: BackgroundContext, d: Decision): Promise<{ ok: true } | { ok: false; error: string }> {
  const a = await ctx.approvals.get(d.id);
  if (!a) return { ok: false, error: 'This request is gone (it was answered or expired)' };
  if (!d.approve) {
    await ctx.approvals.reject(d.id);
    return { ok: true };
  }
  if (!(await ctx.isUnlocked())) return { ok: false, error: 'Unlock the wallet first' };
  const claimed = await ctx.approvals.claim(d.id);
  if (!claimed) return { ok: false, error: 'This request was already answered' };
  void run(ctx, claimed, d).then(
    (result) => ctx.approvals.update(d.id, { state: 'done', response: { result } }),
    async (e) => {
      // Our own errors are written for the user; viem's (a chain that stopped answering) carry the
      // request's URL and body over many lines: say in words what failed instead.
      // (the wallet's own RPC errors, e.g. "the network does not answer", are written for the user too)
      const ours = isWalletError(e) || e instanceof PermissionError || e instanceof PermissionRequestError || e instanceof VaultError;
      const net = e instanceof BaseError && !ours ? await ctx.activeNetwork().catch(() => undefined) : undefined;
      const message = isWalletError(e) ? e.cause.message : net ? reasonOf(e, net) : e instanceof Error ? e.message : String(e);
      return ctx.approvals.update(d.id, { state: 'failed', error: message, response: { error: toWireError(internalError(message)) } });
    },
  );
  return { ok: true };
}

export async function executeRevokeFor(ctx: BackgroundContext, grant: GrantRecord) {
  const net = (await ctx.networks()).find((n) => n.id === grant.networkId);
  if (!net) throw new Error('The network of this permission is not configured any more');
  const controller = (await ctx.ownerAccounts(net)).find((a) => a.address === grant.controller);
  if (!controller) throw new Error('The account that registered this key is not in this wallet');
  await executeRevoke({ net, controller, keyId: BigInt(grant.keyId) });
  const all = await ctx.state.grants.read();
  for (const g of all) if (g.keyId === grant.keyId && g.networkId === grant.networkId) g.revokedAt = ctx.now();
  await ctx.state.grants.write(all);
}

/** The site's live grants a new request of the same type could renew (same network). */
export async function renewableGrants(ctx: BackgroundContext, origin: string, networkId: string, type: string) {
  return (await ctx.state.grants.read()).filter((g) => g.origin === origin && g.networkId === networkId && g.type === type && g.revokedAt === undefined);
}

/**
 * A dapp asking again for the same agent: the existing key gets the new session key as its signer
 * (rotateSigner, from the account that controls it) and the policy as now approved, so its
 * counters carry over; the answer carries the same keyId.
 */
async function renewKey(
  ctx: BackgroundContext,
  a: Approval,
  net: Awaited<ReturnType<BackgroundContext['activeNetwork']>>,
  translations: PermissionAsk[],
  keyId: string,
  progress: (text: string) => Promise<unknown>,
) {
  if (translations.length !== 1) throw new Error('Only a single permission can renew an existing key');
  const t = translations[0]!;
  const grants = await ctx.state.grants.read();
  const grant = (await renewableGrants(ctx, a.origin, net.id, t.type)).find((g) => g.keyId === keyId);
  if (!grant) throw new Error('That key is not this site\'s, or it was revoked');
  const owned = await ctx.ownerAccounts(net);
  const controller = owned.find((o) => o.address === grant.controller);
  if (!controller) throw new Error('The account that registered this key is not in this wallet');
  const f = net.addresses.functor;
  const client = ctx.client(net);
  const mine = grant.accounts.flatMap((acc) => owned.filter((o) => o.address === acc.address));
  await assertNoMachineryTargets(client, mine, t.permission);
  // The renewed grant allows maxOps more ops from where each account's lane is now.
  const setPoliciesOn = async (a: OwnerAccount) => {
    const sequence = await readLaneSequence(client, { entryPoint: net.addresses.entryPoint, account: a.address, validator: f.validator, keyId: BigInt(keyId), kind: a.kind });
    return { to: f.policyHook, data: encodeSetPolicies(BigInt(keyId), t.permission, sequence) };
  };
  await progress('Giving the key its new session key (counters carry over)…');
  await ownerOp(net, controller, [rotateSignerCall(f.keyStore, BigInt(keyId), ecdsaSignerId(grant.signer), ecdsaSignerId(t.to)), await setPoliciesOn(controller)], 'Renewing the key');
  for (const own of mine.filter((x) => x.address !== controller.address)) {
    await ownerOp(net, own, [await setPoliciesOn(own)], 'Setting the policy');
  }
  const responses = grant.accounts.map((acc) =>
    t.respond({ chainId: net.chainId, account: acc.address, keyId: BigInt(keyId), validator: f.validator, hook: f.policyHook, kind: acc.kind }),
  );
  const i = grants.findIndex((g) => g === grants.find((x) => x.keyId === keyId && x.networkId === net.id));
  grants[i] = { ...grant, signer: t.to, responses: responses as unknown as Record<string, unknown>[], contexts: responses.map(contextOfAnswer) };
  await ctx.state.grants.write(grants);
  await progress('Renewed: the key has its new session key.');
  return responses[0];
}
