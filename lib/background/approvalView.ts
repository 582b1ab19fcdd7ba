// What the approval window shows for a request, worked out in the background (token symbols and
// decimals read from chain, the policy in words, warnings), so the window only renders it.
import { formatUnits, getAddress, type Address } from 'viem';
import { describePermission, warnings, type Permission, type TokenInfos } from '../permissions/index.js';
import { OTHER_NETWORK_TIMEOUT_MS, otherChainProblem, withinTime } from './otherChains.js';
import type { AccountChoice, ApprovalView, PermissionView, SpendView } from '../protocol/views.js';
import { describeAccounts, KIND_NAMES } from './accounts.js';
import type { Approval } from './approvals.js';
import type { BackgroundContext } from './context.js';
import { asksOf } from './asks.js';
import { renewableGrants } from './grants.js';
import { readTokenInfos } from './tokens.js';
import type { WalletNetwork } from '../networks/networks.js';

const periodText = (p: { kind: string; seconds: number }) =>
  p.kind === 'sliding'
    ? `Sliding window: any ${p.seconds / 3600} hours in a row`
    : `Fixed periods of ${p.seconds / 3600} hours (resets at each period's start)`;

type AccountViews = Awaited<ReturnType<typeof describeAccounts>>;

/**
 * The accounts each window shows, read from the chain once per open, and again after an unlock, a
 * network switch or a change of the request's state (approved: accounts may now be deployed): not
 * on each progress line, which would re-read every account's code and balance. A failed read is not
 * kept, so the window's retry reads again.
 */
const reads = new WeakMap<BackgroundContext, Map<string, { key: string; value: Promise<unknown> }>>();

/** `read()` once per window, entry and `key` (what invalidates it); a failed read is not kept. */
function once<T>(ctx: BackgroundContext, id: string, key: string, read: () => Promise<T>): Promise<T> {
  let byId = reads.get(ctx);
  if (!byId) reads.set(ctx, (byId = new Map()));
  const kept = byId.get(id);
  if (kept?.key === key) return kept.value as Promise<T>;
  const value = read();
  byId.delete(id);
  byId.set(id, { key, value });
  // Windows of requests long answered: keep the newest few (a Map iterates in insertion order).
  for (const old of byId.keys()) if (byId.size > 64) byId.delete(old);
  value.catch(() => byId.get(id)?.value === value && byId.delete(id));
  return value;
}

/** One entry per window and network (a permission may be granted on other networks too). */
function accountsFor(ctx: BackgroundContext, a: Approval, net: WalletNetwork): Promise<AccountViews> {
  return once(ctx, `${a.id} ${net.id}`, `${net.chainId}|${a.state}`, () => ctx.ownerAccounts(net).then((owned) => describeAccounts(net, owned)));
}

/** Forget the window's reads: the wallet locked (its next read after unlock is fresh). */
function forgetAccounts(ctx: BackgroundContext, id: string) {
  const byId = reads.get(ctx);
  for (const k of byId?.keys() ?? []) if (k.startsWith(`${id} `)) byId!.delete(k);
}

const choiceOf = (x: AccountViews[number]): AccountChoice => ({
  kind: x.kind,
  name: KIND_NAMES[x.kind],
  address: x.address,
  deployed: x.deployed,
  functor: x.validator && x.hook,
  balance: x.balance,
  ...(x.otherHook && { otherHook: x.otherHook }),
});

/**
 * The wallet's other networks, each with its accounts or why the permission cannot be granted
 * there too; each read at most OTHER_NETWORK_TIMEOUT_MS (a hanging RPC must not hold the window).
 */
async function otherNetworks(ctx: BackgroundContext, a: Approval, home: WalletNetwork, permissions: Permission[], homeTokens: TokenInfos) {
  const others = (await ctx.networks()).filter((n) => n.id !== home.id);
  return Promise.all(
    others.map(async (n) => {
      const base = { id: n.id, name: n.name, chainId: n.chainId };
      try {
        return await withinTime(
          (async () => {
            const problem = await once(ctx, `${a.id} ${n.id} problem`, String(n.chainId), () => otherChainProblem(ctx, home, n, permissions, homeTokens));
            if (problem) return { ...base, problem };
            return { ...base, accounts: (await accountsFor(ctx, a, n)).map(choiceOf) };
          })(),
          OTHER_NETWORK_TIMEOUT_MS,
          n.name,
        );
      } catch (e) {
        const text = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        return { ...base, problem: /did not answer within/.test(text) ? text : `${n.name} does not answer (${n.rpcUrl})` };
      }
    }),
  );
}

export async function approvalView(ctx: BackgroundContext, a: Approval): Promise<ApprovalView> {
  const locked = !(await ctx.isUnlocked());
  if (locked) forgetAccounts(ctx, a.id);
  const view: ApprovalView = {
    approval: {
      id: a.id,
      origin: a.origin,
      kind: a.kind,
      state: a.state,
      progress: a.progress,
      ...(a.steps?.length && { steps: a.steps }),
      ...(a.error && { error: a.error }),
      ...(a.response && 'result' in a.response && { result: a.response.result }),
    },
    locked,
  };
  // A site the wallet has never dealt with is marked: phishing pages are new sites.
  const [connections, grants] = await Promise.all([ctx.state.connections.read(), ctx.state.grants.read()]);
  if (!connections[a.origin] && !grants.some((g) => g.origin === a.origin)) view.firstTime = true;
  try {
    const net = await ctx.activeNetwork();
    view.network = { name: net.name, chainId: net.chainId };
    if (locked) return view;
    const accounts = await accountsFor(ctx, a, net);
    view.accounts = accounts.map(choiceOf);
    if (a.kind === 'permissions') {
      const first = asksOf(a);
      const tokens = first
        .flatMap((t) => [...t.permission.spend.map((s) => s.token), ...t.permission.calls.map((c) => c.to)])
        .filter((x): x is Address => x !== 'native' && x !== 'any');
      const infos: TokenInfos = await readTokenInfos(ctx.client(net), tokens);
      // Again, with symbols and decimals: the notes then speak in token units too.
      const ts = asksOf(a, infos);
      const others =
        a.state !== 'open'
          ? []
          : await otherNetworks(
              ctx,
              a,
              net,
              ts.map((t) => t.permission),
              infos,
            );
      if (a.state === 'open' && others.length) view.otherNetworks = others;
      const nowS = Math.floor(ctx.now() / 1000);
      view.permissions = ts.map((t) => ({
        type: t.type,
        to: t.to,
        ...(t.from && { from: t.from }),
        lines: describePermission(t.permission, infos, nowS),
        warnings: [...new Set(accounts.flatMap((acc) => warnings(t.permission, { account: acc.address, tokens: infos })))],
        notes: t.notes,
        adjustable: t.isAdjustmentAllowed,
        ...(t.justification && { justification: t.justification }),
        ...(t.permission.expiry !== undefined && { expiry: t.permission.expiry }),
        spends: t.permission.spend.map((s, index) => {
          const info = infos[s.token === 'native' ? 'native' : s.token.toLowerCase()];
          return {
            index,
            token: s.token === 'native' ? 'native' : getAddress(s.token),
            symbol: info?.symbol ?? (s.token === 'native' ? 'ETH' : s.token),
            decimals: info?.decimals ?? 0,
            limit: s.limit.toString(),
            formatted: info ? formatUnits(s.limit, info.decimals) : s.limit.toString(),
            period: periodText(s.period),
            seconds: s.period.seconds,
            sliding: s.period.kind === 'sliding',
          };
        }),
      }));
    }
    if (a.kind === 'permissions' && view.permissions?.length === 1) {
      const same = await renewableGrants(ctx, a.origin, net.id, view.permissions[0]!.type);
      if (same.length) view.renewable = same.map((g) => ({ keyId: g.keyId, accounts: g.accounts.map((x) => KIND_NAMES[x.kind]), signer: g.signer }));
    }
    if (a.kind === 'sendCalls') {
      const [p] = a.params as [{ calls: { to: string; data?: string; value?: string }[] }];
      view.calls = p.calls.map((c) => ({ to: getAddress(c.to), value: formatUnits(c.value ? BigInt(c.value) : 0n, 18), data: c.data ?? '0x' }));
    }
  } catch (e) {
    view.problem = e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  return view;
}
