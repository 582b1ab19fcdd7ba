// An approved permission request (either dialect): one key per ask, granted on the accounts the
// user chose with the limits as the user lowered them, recorded, and the site connected to those
// accounts; or, when the user chose to, an existing key of the site renewed (renewKey.ts).
import { asksOf, applyLimits, contextOfAnswer, DRAFT_METHOD } from '../asks.js';
import { connect } from '../connections.js';
import { executeGrant, grantContext, reasonOf } from '../grant.js';
import type { GrantRecord } from '../state.js';
import { pickAccounts } from './pickAccounts.js';
import { resolveOtherChains } from '../otherChains.js';
import { toHex } from 'viem';
import { renewKey } from './renewKey.js';
import type { Runner } from './runner.js';

export const runPermissions: Runner = async (ctx, a, d, progress) => {
  const net = await ctx.activeNetwork();
  const asks = applyLimits(asksOf(a), d.limits);
  const owned = await ctx.ownerAccounts(net);
  const answers: unknown[] = [];
  if (d.replaceKey !== undefined) {
    if (d.also?.length) throw new Error('Renewing a key gives it a new session key on its own chain: choose other chains for a new key instead');
    const renewed = await renewKey(ctx, a, net, asks, d.replaceKey, progress);
    return a.method === DRAFT_METHOD ? renewed : [renewed];
  }
  // Every chain is checked before anything is sent on any.
  const also = await resolveOtherChains(
    ctx,
    net,
    d.also ?? [],
    asks.map((t) => t.permission),
  );
  for (const [i, t] of asks.entries()) {
    if (t.chainId !== net.chainId) throw new Error(`The wallet moved to chain ${net.chainId}; the request is for ${t.chainId}`);
    const chosen = pickAccounts(owned, d.accounts, t.from);
    if (!chosen.length) throw new Error('Choose at least one account');
    const owner = ctx.owner();
    // One salt for every chain: the same controller address (an account at the same address on
    // each chain) then has the same keyId everywhere.
    const salt = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const targets = [{ net, accounts: chosen }, ...also];
    const multi = targets.length > 1;
    const group = multi ? `${a.id}/${i}` : undefined;
    // Each chain's ops are sent at once; one chain failing does not stop the others.
    const settled = await Promise.allSettled(
      targets.map((x) =>
        executeGrant({
          net: x.net,
          owner,
          accounts: x.accounts,
          signer: t.to,
          permission: t.permission,
          salt,
          progress: multi ? (text) => progress(`${x.net.name}: ${text}`) : progress,
          step: (label, state, detail) => ctx.approvals.update(a.id, { step: { chain: x.net.name, label, state, ...detail } }),
        }),
      ),
    );
    // Every chain where the key landed is recorded first: a live key is never left out of the wallet's records.
    const records: GrantRecord[] = [];
    const failed: string[] = [];
    settled.forEach((r, j) => {
      const x = targets[j]!;
      if (r.status === 'rejected') return void failed.push(`${x.net.name}: ${reasonOf(r.reason, x.net)}`);
      const responses = x.accounts.map((acc) => (j === 0 ? t.respond : t.respondOn)(grantContext(x.net, acc, r.value.keyId)));
      records.push({
        origin: a.origin,
        networkId: x.net.id,
        chainId: x.net.chainId,
        keyId: r.value.keyId.toString(),
        type: t.type,
        signer: t.to,
        controller: x.accounts[0]!.address,
        accounts: x.accounts.map((c) => ({ kind: c.kind, address: c.address })),
        responses: responses as unknown as Record<string, unknown>[],
        contexts: responses.map(contextOfAnswer),
        createdAt: ctx.now(),
        ...(group && { group }),
      });
    });
    if (records.length) await ctx.state.grants.write([...(await ctx.state.grants.read()), ...records]);
    const home = settled[0]!;
    if (home.status === 'rejected') {
      const elsewhere = records.map((r) => targets.find((x) => x.net.id === r.networkId)!.net.name);
      if (!elsewhere.length) throw home.reason;
      throw new Error(
        `${failed.join('; ')}. The key was granted on ${elsewhere.join(', ')}: it is live there (the Keys tab shows it; revoke it there if you do not want it).`,
      );
    }
    for (const f of failed) await progress(`Not granted on ${f}`);
    await connect(
      ctx,
      a.origin,
      chosen.map((c) => c.address),
    );
    answers.push(records[0]!.responses[0]);
  }
  // The draft answers one object; ERC-7715 an array, one element per request element.
  return a.method === DRAFT_METHOD ? answers[0] : answers;
};
