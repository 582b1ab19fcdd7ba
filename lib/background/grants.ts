// The grants made to sites, as the wallet records them (state.ts: grantRecordSchema): which a new
// request may renew, and revoking one (the key, on every account, from its controller).
import type { BackgroundContext } from './context.js';
import { executeRevoke } from './grant.js';
import type { GrantRecord } from './state.js';

/** The site's live grants a new request of the same type could renew (same network). */
export async function renewableGrants(ctx: BackgroundContext, origin: string, networkId: string, type: string) {
  return (await ctx.state.grants.read()).filter((g) => g.origin === origin && g.networkId === networkId && g.type === type && g.revokedAt === undefined);
}

/** Revokes the grant's key onchain, then marks every record of that key revoked. */
export async function revokeGrant(ctx: BackgroundContext, grant: GrantRecord) {
  const net = (await ctx.networks()).find((n) => n.id === grant.networkId);
  if (!net) throw new Error('The network of this permission is not configured any more');
  const controller = (await ctx.ownerAccounts(net)).find((a) => a.address === grant.controller);
  if (!controller) throw new Error('The account that registered this key is not in this wallet');
  await executeRevoke({ net, controller, keyId: BigInt(grant.keyId) });
  const all = await ctx.state.grants.read();
  for (const g of all) if (g.keyId === grant.keyId && g.networkId === grant.networkId) g.revokedAt = ctx.now();
  await ctx.state.grants.write(all);
}
