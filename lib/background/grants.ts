// The grants made to sites, as the wallet records them (state.ts: grantRecordSchema): which a new
// request may renew, and revoking one: the key, on every account, from its controller, on every
// chain the approval granted it on (one op per chain, sent at once).
import type { BackgroundContext } from './context.js';
import { executeRevoke, reasonOf } from './grant.js';
import type { GrantRecord } from './state.js';
import type { OwnerAccount } from './accounts.js';
import type { WalletNetwork } from '../networks/networks.js';
import { readKey } from '../keystore/read.js';

/** The site's live grants a new request of the same type could renew (same network). */
export async function renewableGrants(ctx: BackgroundContext, origin: string, networkId: string, type: string) {
  return (await ctx.state.grants.read()).filter((g) => g.origin === origin && g.networkId === networkId && g.type === type && g.revokedAt === undefined);
}

/** The records of the key one approval granted: the grant's own, and its other chains'. */
export function grantGroup(all: GrantRecord[], grant: GrantRecord): GrantRecord[] {
  return grant.group === undefined ? [grant] : all.filter((g) => g.group === grant.group);
}

/** Marks every record of this key on this network revoked (the chain said so). */
export async function markRevoked(ctx: BackgroundContext, networkId: string, keyId: bigint) {
  const all = await ctx.state.grants.read();
  let changed = false;
  for (const g of all)
    if (g.keyId === keyId.toString() && g.networkId === networkId && g.revokedAt === undefined) {
      g.revokedAt = ctx.now();
      changed = true;
    }
  if (changed) await ctx.state.grants.write(all);
}

/**
 * Sends the revocation on one chain, then reads the key back: only a key the chain reports revoked
 * is marked so (a receipt that says success on a chain that reorganised it away is not enough).
 */
export async function revokeOn(ctx: BackgroundContext, net: WalletNetwork, controller: OwnerAccount, keyId: bigint) {
  await executeRevoke({ net, controller, keyId });
  const after = await readKey(ctx.client(net), net.addresses.functor.keyStore, keyId);
  if (!after.revoked) throw new Error(`the revocation landed but ${net.name} still reports the key live`);
  await markRevoked(ctx, net.id, keyId);
}

/**
 * Revokes the grant's key on every chain it was granted on, at once. A chain that fails does not
 * stop the others; the error then names the chains where the key is still live (nothing is
 * reported revoked that the chain does not say is), and calling again retries only those.
 */
export async function revokeGrant(ctx: BackgroundContext, grant: GrantRecord, progress?: (text: string) => Promise<unknown>) {
  const nets = await ctx.networks();
  const live = grantGroup(await ctx.state.grants.read(), grant).filter((g) => g.revokedAt === undefined);
  const results = await Promise.allSettled(
    live.map(async (g) => {
      const net = nets.find((n) => n.id === g.networkId);
      if (!net) throw new Error(`the network of this permission (chain ${g.chainId}) is not configured any more`);
      const keyId = BigInt(g.keyId);
      try {
        const key = await readKey(ctx.client(net), net.addresses.functor.keyStore, keyId);
        if (key.revoked) return markRevoked(ctx, net.id, keyId);
        const controller = (await ctx.ownerAccounts(net)).find((a) => a.address === g.controller);
        if (!controller) throw new Error('the account that registered this key is not in this wallet');
        await revokeOn(ctx, net, controller, keyId);
        await progress?.(`${net.name}: revoked.`);
      } catch (e) {
        throw new Error(`${net.name}: ${e instanceof Error && !/^the /.test(e.message) ? reasonOf(e, net) : e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (failed.length) {
    const done = live.length - failed.length;
    throw new Error(
      `The key is still live on ${failed.length === 1 ? 'one chain' : `${failed.length} chains`} (${failed.join('; ')})${done ? `; revoked on the other ${done}` : ''}. Try again to revoke it there.`,
    );
  }
}
