// Alerts before a limit or an expiry bites: a key past 80% of a spend or rate limit in its current
// window, or expiring within a day; and after an agent's attempt was blocked onchain. Worked out
// from the Keys tab's own view (listKeys), so what a notification says is what the popup shows.
// Each alert has an id that names its window (a spend alert comes again in the next period, not on
// every look) or its blocked UserOp; the caller keeps the ids it told.
import { formatUnits } from 'viem';
import type { HistoryEntry } from '../audit/history.js';
import { describeRefusal } from '../permissions/refusal.js';
import type { KeyView } from '../protocol/views.js';

export const ALERT_SHARE = 0.8;
export const EXPIRY_WARNING_S = 86_400;

export type KeyAlert = { id: string; networkId: string; keyId: string; title: string; message: string };

/** A blocked attempt (readHistory's kind 'blocked') on one of the owner's accounts on a network. */
export type BlockedAttempt = Extract<HistoryEntry, { kind: 'blocked' }> & { networkId: string };

/**
 * The key a blocked attempt was by: the keyId the refusal names (the policy errors carry it first)
 * among the keys on that account, else the account's only key there; undefined when it cannot tell.
 */
export function keyOfBlocked(keys: KeyView[], b: BlockedAttempt): { key: KeyView; account: KeyView['accounts'][number] } | undefined {
  const on = keys.flatMap((key) =>
    key.accounts.filter((a) => a.networkId === b.networkId && a.address.toLowerCase() === b.account.toLowerCase()).map((account) => ({ key, account })),
  );
  const named = b.refusal.args[0];
  if (typeof named === 'bigint') return on.find((x) => x.account.keyId === named);
  return on.length === 1 ? on[0] : undefined;
}

const percent = (used: bigint, limit: bigint) => Number((used * 1000n) / limit) / 10;

/**
 * Alerts for these keys at `nowS` (seconds) that are not in `told`, and one for each of the
 * `blocked` attempts (the ones found since the last look) that names its key.
 */
export function alertsFor(keys: KeyView[], nowS: number, told: ReadonlySet<string> = new Set(), blocked: readonly BlockedAttempt[] = []): KeyAlert[] {
  const out: KeyAlert[] = [];
  for (const b of blocked) {
    const of = keyOfBlocked(keys, b);
    if (!of) continue;
    const { key: k, account: a } = of;
    const why = describeRefusal(b.refusal, k.tokens);
    out.push({
      networkId: a.networkId,
      keyId: a.keyId.toString(),
      // The UserOp names it: told once, however often the chain is read again.
      id: `${a.networkId}:${a.keyId}:blocked:${b.userOpHash}`,
      title: `Functor blocked ${k.name}`,
      message: `${why.charAt(0).toUpperCase()}${why.slice(1)} (${a.name}, ${a.chain}). Open Functor to see the key.`,
    });
  }
  for (const k of keys) {
    for (const a of k.accounts) {
      const chain = k.chains.find((c) => c.networkId === a.networkId);
      if (!chain || chain.revoked || !a.permission) continue;
      const where = `${a.name} (${a.chain})`;
      const base = { networkId: a.networkId, keyId: a.keyId.toString() };
      for (const s of a.spends) {
        if (s.limit === 0n || s.used * 10n < s.limit * 8n) continue;
        const t = k.tokens[s.token === 'native' ? 'native' : s.token.toLowerCase()];
        const amount = (v: bigint) => (t ? `${formatUnits(v, t.decimals)} ${t.symbol}` : `${v} base units`);
        out.push({
          ...base,
          // The window it is in: resetsAt changes with each new period (a sliding window: each look a
          // day apart at most counts once per reset).
          id: `${a.networkId}:${a.keyId}:${a.address}:spend:${s.token}:${s.resetsAt}`,
          title: `${k.name} has used ${percent(s.used, s.limit)}% of a limit`,
          message: `${amount(s.used)} of ${amount(s.limit)} on ${where}. Open Functor to raise it, or to revoke the key.`,
        });
      }
      if (a.rate && a.rate.max > 0n && a.rate.used * 10n >= a.rate.max * 8n) {
        out.push({
          ...base,
          id: `${a.networkId}:${a.keyId}:${a.address}:rate:${Math.floor(nowS / a.rate.seconds)}`,
          title: `${k.name} has used ${percent(a.rate.used, a.rate.max)}% of its operations`,
          message: `${a.rate.used} of ${a.rate.max} operations in ${a.rate.seconds / 3600} hours on ${where}.`,
        });
      }
    }
    const live = k.chains.some((c) => !c.revoked);
    if (live && k.expiry !== undefined && k.expiry > nowS && k.expiry - nowS <= EXPIRY_WARNING_S) {
      const hours = Math.max(1, Math.round((k.expiry - nowS) / 3600));
      out.push({
        networkId: k.chains[0]!.networkId,
        keyId: k.keyId.toString(),
        id: `${k.chains[0]!.networkId}:${k.keyId}:expiry:${k.expiry}`,
        title: `${k.name} expires in ${hours} hour${hours === 1 ? '' : 's'}`,
        message: 'Its agent stops then. Open Functor to give it a new key if it should go on.',
      });
    }
  }
  return out.filter((x) => !told.has(x.id));
}
