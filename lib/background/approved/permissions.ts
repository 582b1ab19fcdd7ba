// An approved permission request (either dialect): one key per ask, granted on the accounts the
// user chose with the limits as the user lowered them, recorded, and the site connected to those
// accounts; or, when the user chose to, an existing key of the site renewed (renewKey.ts).
import { asksOf, applyLimits, contextOfAnswer, DRAFT_METHOD } from '../asks.js';
import { connect } from '../connections.js';
import { executeGrant, grantContext } from '../grant.js';
import type { GrantRecord } from '../state.js';
import { pickAccounts } from './pickAccounts.js';
import { renewKey } from './renewKey.js';
import type { Runner } from './runner.js';

export const runPermissions: Runner = async (ctx, a, d, progress) => {
  const net = await ctx.activeNetwork();
  const asks = applyLimits(asksOf(a), d.limits);
  const owned = await ctx.ownerAccounts(net);
  const answers: unknown[] = [];
  if (d.replaceKey !== undefined) {
    const renewed = await renewKey(ctx, a, net, asks, d.replaceKey, progress);
    return a.method === DRAFT_METHOD ? renewed : [renewed];
  }
  for (const t of asks) {
    if (t.chainId !== net.chainId) throw new Error(`The wallet moved to chain ${net.chainId}; the request is for ${t.chainId}`);
    const chosen = pickAccounts(owned, d.accounts, t.from);
    if (!chosen.length) throw new Error('Choose at least one account');
    const owner = ctx.owner();
    const g = await executeGrant({ net, owner, accounts: chosen, signer: t.to, permission: t.permission, progress });
    const f = net.addresses.functor;
    const responses = chosen.map((acc) => t.respond(grantContext(net, acc, g.keyId)));
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
    await connect(
      ctx,
      a.origin,
      chosen.map((c) => c.address),
    );
    answers.push(responses[0]);
  }
  // The draft answers one object; ERC-7715 an array, one element per request element.
  return a.method === DRAFT_METHOD ? answers[0] : answers;
};
