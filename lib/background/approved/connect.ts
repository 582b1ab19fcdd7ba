// An approved eth_requestAccounts: the site is connected to the accounts the user chose.
import { connect } from '../connections.js';
import type { Runner } from './runner.js';
import { pickAccounts } from './pickAccounts.js';

export const runConnect: Runner = async (ctx, a, d) => {
  const net = await ctx.activeNetwork();
  const chosen = pickAccounts(await ctx.ownerAccounts(net), d.accounts);
  if (!chosen.length) throw new Error('Choose at least one account');
  return connect(
    ctx,
    a.origin,
    chosen.map((c) => c.address),
  );
};
