// The sites the user connected, and to which of the owner's accounts: read by the dapp methods
// (a site sees its accounts only while the wallet is unlocked), written when a connection or a
// grant is approved (accountsChanged to that site when its list changes).
import { getAddress, type Address } from 'viem';
import { unauthorized } from '../protocol/errors.js';
import type { BackgroundContext } from './context.js';

const connectionOf = async (ctx: BackgroundContext, origin: string) => (await ctx.state.connections.read())[origin];

export async function connectedAccounts(ctx: BackgroundContext, origin: string): Promise<Address[]> {
  if (!(await ctx.isUnlocked())) return [];
  return (await connectionOf(ctx, origin))?.accounts ?? [];
}

/** The site's account (`from`, or its first), or 4100 when it is not connected to it. */
export async function requireConnected(ctx: BackgroundContext, origin: string, from?: string): Promise<Address> {
  const conn = await connectionOf(ctx, origin);
  if (!conn) throw unauthorized();
  if (from === undefined) return conn.accounts[0]!;
  const a = getAddress(from);
  if (!conn.accounts.includes(a)) throw unauthorized(`This site is not connected to ${a}`);
  return a;
}

/** Adds `accounts` to the site's connection (the new ones first). */
export async function connect(ctx: BackgroundContext, origin: string, accounts: Address[]) {
  const all = await ctx.state.connections.read();
  const before = all[origin]?.accounts ?? [];
  const merged = [...new Set([...accounts, ...before])];
  all[origin] = { accounts: merged, connectedAt: all[origin]?.connectedAt ?? ctx.now() };
  await ctx.state.connections.write(all);
  if (merged.join() !== before.join()) ctx.deps.emit(origin, 'accountsChanged', merged);
  return merged;
}
