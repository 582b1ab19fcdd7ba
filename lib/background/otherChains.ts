// Granting a permission on the wallet's other networks too. A request names one chain; its
// addresses (a token to limit, a contract to call) are that chain's. The same key on another
// chain is only offered where Functor is deployed, each limited token is the same token (same
// symbol and decimals at that address: USDC lives at different addresses on different chains, and
// a limit on an address that is something else there would limit nothing the user meant), and each
// other contract the key may call holds the very same code there (an address can hold anyone's
// contract on another chain, or none yet that anyone could deploy).
import { type Address, getAddress, keccak256 } from 'viem';
import type { Permission, TokenInfos } from '../permissions/index.js';
import type { WalletNetwork } from '../networks/networks.js';
import type { OwnerAccount } from './accounts.js';
import type { BackgroundContext } from './context.js';
import { pickAccounts } from './approved/pickAccounts.js';
import { readTokenInfos } from './tokens.js';

/** How long the window waits for another network's answers before showing it unavailable. */
export const OTHER_NETWORK_TIMEOUT_MS = 4_000;

const spendTokens = (permissions: Permission[]) => [
  ...new Set(permissions.flatMap((p) => p.spend.map((s) => s.token)).filter((t): t is Address => t !== 'native')),
];

/** Why these permissions cannot be granted on `other` too (in words), or undefined. */
export async function otherChainProblem(
  ctx: BackgroundContext,
  home: WalletNetwork,
  other: WalletNetwork,
  permissions: Permission[],
  homeTokens: TokenInfos,
): Promise<string | undefined> {
  const client = ctx.client(other);
  const f = other.addresses.functor;
  const codes = await Promise.all([f.keyStore, f.policyHook, f.validator].map((address) => client.getCode({ address })));
  if (codes.some((c) => !c || c === '0x')) return `Functor is not deployed on ${other.name}`;
  const tokens = spendTokens(permissions);
  const there = await readTokenInfos(client, tokens);
  for (const t of tokens) {
    const mine = homeTokens[t.toLowerCase()];
    const theirs = there[t.toLowerCase()];
    const name = mine?.symbol ?? getAddress(t);
    if (!theirs) return `${name} (${getAddress(t)}) is a token of ${home.name}; there is no such token at that address on ${other.name}`;
    if (mine && (theirs.symbol !== mine.symbol || theirs.decimals !== mine.decimals))
      return `${getAddress(t)} is ${mine.symbol} on ${home.name} but ${theirs.symbol} on ${other.name}: the limit would not mean the same there`;
  }
  // A target other than a limited token: the same address may hold another contract there (or
  // nothing, that anyone could deploy later). Only the very same code is the same permission.
  const targets = [...new Set(permissions.flatMap((p) => p.calls.map((c) => c.to)).filter((t): t is Address => t !== 'any'))].filter(
    (t) => !tokens.some((x) => getAddress(x) === getAddress(t)),
  );
  const homeClient = ctx.client(home);
  for (const t of targets) {
    const [mine, theirs] = await Promise.all([homeClient.getCode({ address: t }), client.getCode({ address: t })]);
    if (!theirs || theirs === '0x') return `${getAddress(t)} has no contract on ${other.name}: the permission names a contract of ${home.name}`;
    if (keccak256(theirs) !== keccak256(mine ?? '0x'))
      return `${getAddress(t)} holds other code on ${other.name} than on ${home.name}: the permission would not call the same contract there`;
  }
  return undefined;
}

/** `work`, or a plain refusal once `ms` pass (a network whose RPC hangs must not hold the window). */
export function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The other networks the user ticked, each with its chosen accounts, checked before anything is
 * sent: a network not in the wallet, the active one named again, an account not the owner's there,
 * or a problem above refuses the whole approval, with nothing sent on any chain.
 */
export async function resolveOtherChains(
  ctx: BackgroundContext,
  home: WalletNetwork,
  chosen: { networkId: string; accounts: Address[] }[],
  permissions: Permission[],
): Promise<{ net: WalletNetwork; accounts: OwnerAccount[] }[]> {
  if (!chosen.length) return [];
  const nets = await ctx.networks();
  const homeTokens = await readTokenInfos(ctx.client(home), spendTokens(permissions));
  const seen = new Set<string>([home.id]);
  const out: { net: WalletNetwork; accounts: OwnerAccount[] }[] = [];
  for (const c of chosen) {
    const net = nets.find((n) => n.id === c.networkId);
    if (!net) throw new Error(`Network ${c.networkId} is not in this wallet`);
    if (seen.has(net.id)) throw new Error(`${net.name} is named twice`);
    seen.add(net.id);
    const problem = await otherChainProblem(ctx, home, net, permissions, homeTokens);
    if (problem) throw new Error(`Cannot grant on ${net.name} too: ${problem}`);
    const accounts = pickAccounts(await ctx.ownerAccounts(net), c.accounts);
    out.push({ net, accounts });
  }
  return out;
}
