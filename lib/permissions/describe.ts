// A permission in plain English, for the person who grants it: short lines read in five seconds,
// and warnings for what they may not have meant.
import { formatGwei, formatUnits, getAddress, type Address, type Hex } from 'viem';
import type { ArgCondition, Period, Permission, PermissionCall } from './types.js';
import { selectorOf } from './types.js';

export type TokenInfo = { symbol: string; decimals: number };
/** Keyed by lowercase address, and 'native' for the chain's coin (default: ETH, 18 decimals). */
export type TokenInfos = Record<string, TokenInfo>;
/** Names to show instead of raw addresses and selectors; keys lowercase. */
export type Names = { targets?: Record<string, string>; selectors?: Record<string, string> };

const NATIVE_DEFAULT: TokenInfo = { symbol: 'ETH', decimals: 18 };

/** The ERC-20 functions the hook counts as spend (contracts/README.md). */
const ERC20_SPENDS = ['transfer(address,uint256)', 'approve(address,uint256)', 'transferFrom(address,address,uint256)', 'increaseAllowance(address,uint256)'];
const KNOWN_SELECTORS: Record<string, string> = Object.fromEntries(
  [...ERC20_SPENDS, 'decreaseAllowance(address,uint256)'].map((sig) => [selectorOf(sig), sig.slice(0, sig.indexOf('('))]),
);
const SPEND_SELECTORS = new Set(ERC20_SPENDS.map(selectorOf));
const TRANSFER = selectorOf('transfer(address,uint256)');

/** What the static arguments of the ERC-20 functions are, for conditions and refusals in words. */
export const ERC20_ARG_NAMES: Record<string, ('recipient' | 'spender' | 'sender' | 'amount')[]> = {
  [TRANSFER]: ['recipient', 'amount'],
  [selectorOf('approve(address,uint256)')]: ['spender', 'amount'],
  [selectorOf('increaseAllowance(address,uint256)')]: ['spender', 'amount'],
  [selectorOf('transferFrom(address,address,uint256)')]: ['sender', 'recipient', 'amount'],
};

/** Limits this large read as "unlimited" (MAX_UINT96 is 2^96 - 1). */
export const UNLIMITED_LOOKING = 2n ** 95n;

export function describePermission(p: Permission, tokens: TokenInfos, now: number = nowSeconds(), names: Names = {}): string[] {
  const lines: string[] = [];
  if (p.calls.length === 0) lines.push('May not call anything');
  for (const c of p.calls) lines.push(describeCall(c, tokens, names));
  for (const s of p.spend) {
    const t = tokenInfo(s.token, tokens);
    if (s.limit === 0n) {
      lines.push(`May not spend any ${t.symbol}`);
    } else if (s.period.kind === 'sliding') {
      lines.push(`Up to ${amount(s.limit, t)} ${t.symbol} in any ${span(s.period.seconds)}`);
    } else {
      const start = formatDate(s.period.start);
      lines.push(`Up to ${amount(s.limit, t)} ${t.symbol} per period of ${duration(s.period.seconds)}, starting ${start}`);
    }
  }
  if (p.rate) {
    const n = p.rate.maxCalls;
    lines.push(`At most ${group(String(n))} transaction${n === 1 ? '' : 's'} in any ${span(p.rate.seconds)}`);
  }
  if (p.validAfter !== undefined && p.validAfter > now) {
    lines.push(`Valid from ${formatDate(p.validAfter)} (in ${relative(p.validAfter - now)})`);
  }
  if (p.expiry === undefined) lines.push('No expiry');
  else if (p.expiry < now) lines.push(`Expired on ${formatDate(p.expiry)}`);
  else lines.push(`Expires on ${formatDate(p.expiry)} (in ${relative(p.expiry - now)})`);

  lines.push(describeGas(p.gas, tokenInfo('native', tokens)));
  if (p.gas.paymaster) lines.push(`Gas may be paid by ${label(p.gas.paymaster, tokens, names)}`);
  for (const c of p.customs ?? []) lines.push(`Also checked by the custom policy ${label(c, tokens, names)}`);
  return lines;
}

/**
 * The worst case a leaked key can make the account pay in gas, in words: every op it may still
 * make (gas.maxOps) at its maximum cost, or the wei budget when that is lower.
 */
export function describeGas(g: Permission['gas'], native: TokenInfo = NATIVE_DEFAULT): string {
  const eth = (v: bigint) => `${amount(v, native)} ${native.symbol}`;
  const n = g.maxOps;
  if (n === 0) return 'Gas: no operation left (the key has used all it was allowed)';
  const byOps = g.maxCostPerOp * BigInt(n);
  const total = g.budget !== undefined && g.budget < byOps ? g.budget : byOps;
  const ops = `${group(String(n))} operation${n === 1 ? '' : 's'}`;
  return `Gas: at most ${eth(total)} in all, ${eth(g.maxCostPerOp)} per operation (${ops}), at up to ${formatGwei(g.maxFeePerGas)} gwei per gas`;
}

/**
 * The op bound as it stands onchain, for the agent's status: ops made on the key's lane, ops left
 * under the ceiling, and what they may cost at most. `sequence` is the lane's (accounts/nonceKey.ts).
 */
export function describeOpBound(
  g: { opCeiling: number; maxCostPerOp: bigint; maxFeePerGas: bigint; budget?: bigint },
  sequence: bigint,
  native: TokenInfo = NATIVE_DEFAULT,
): { ops: string; gas: string; left: number } {
  const used = sequence;
  const left = used >= BigInt(g.opCeiling) ? 0 : Number(BigInt(g.opCeiling) - used);
  const eth = (v: bigint) => `${amount(v, native)} ${native.symbol}`;
  const byOps = g.maxCostPerOp * BigInt(left);
  const total = g.budget !== undefined && g.budget !== 0n && g.budget < byOps ? g.budget : byOps;
  return {
    left,
    ops: `${group(used.toString())} made on the key's lane, ${group(String(left))} left (op ceiling ${group(String(g.opCeiling))})`,
    gas: `at most ${eth(g.maxCostPerOp)} per operation, ${eth(total)} in all for the ${group(String(left))} left (fee cap ${formatGwei(g.maxFeePerGas)} gwei)`,
  };
}

export type WarningOptions = { account?: Address; tokens?: TokenInfos; names?: Names };

/** What a careful person would want pointed out before granting `p`. */
export function warnings(p: Permission, { account, tokens = {}, names = {} }: WarningOptions = {}): string[] {
  const out: string[] = [];
  for (const s of p.spend) {
    if (s.limit >= UNLIMITED_LOOKING) {
      out.push(`The ${tokenInfo(s.token, tokens).symbol} limit is so large that it is effectively unlimited`);
    }
  }
  if (p.expiry === undefined) out.push('Never expires: it stays valid until you revoke it');
  const self = account && getAddress(account);
  if (self && p.calls.some((c) => c.to !== 'any' && getAddress(c.to) === self)) {
    out.push('Lets the key call the account itself (the hook refuses such a policy)');
  }
  for (const c of p.calls) {
    if (c.to === 'any') out.push(`${describeCall(c, tokens, names)}, including ones you have never seen`);
  }
  const limited = new Set(p.spend.map((s) => (s.token === 'native' ? 'native' : s.token.toLowerCase())));
  if (p.calls.some((c) => c.selector === 'value') && !limited.has('native')) {
    const sym = tokenInfo('native', tokens).symbol;
    out.push(`May send ${sym}, but no ${sym} limit is set: every call with value will be refused`);
  }
  // A transfer without a payee condition: a leaked key may pay itself (within the limits).
  for (const c of p.calls) {
    const transfers = c.selector === TRANSFER || (c.selector === 'any' && c.to !== 'any' && tokens[c.to.toLowerCase()] !== undefined);
    if (!transfers || c.args?.some((a) => a.arg === 0 && (a.op === 'oneOf' || a.op === 'equal'))) continue;
    const what = c.to === 'any' ? 'any token' : label(c.to, tokens, names);
    out.push(`May pay anyone with ${what}: no payee is set, so a leaked key could pay itself (within the limits)`);
  }
  // The hook counts spend only on limited tokens: transfer on any other token is not capped.
  const uncapped = new Set<string>();
  for (const c of p.calls) {
    if (c.to === 'any' || limited.has(c.to.toLowerCase())) continue;
    const spends = c.selector === 'any' ? tokens[c.to.toLowerCase()] !== undefined : c.selector !== 'value' && SPEND_SELECTORS.has(c.selector);
    if (spends && !uncapped.has(c.to.toLowerCase())) {
      uncapped.add(c.to.toLowerCase());
      const name = label(c.to, tokens, names);
      out.push(`No spend limit on ${name}: the key may move any amount of it`);
    }
  }
  return out;
}

/**
 * "90 / 100 USDC in the last 24 h" (sliding) or "90 / 100 USDC this period (resets <date>)"
 * (fixed; `resetsAt` from spendUsage, else computed as the hook does).
 */
export function formatUsage(
  used: bigint,
  limit: bigint,
  token: TokenInfo,
  period: Period,
  { resetsAt, now = nowSeconds() }: { resetsAt?: number; now?: number } = {},
): string {
  const head = `${amount(used, token)} / ${amount(limit, token)} ${token.symbol}`;
  if (period.kind === 'sliding') return `${head} in the last ${shortSpan(period.seconds)}`;
  return `${head} this period (resets ${formatDate(resetsAt ?? periodEnd(period.start, period.seconds, now))})`;
}

/** FixedWindow.periodEnd. */
function periodEnd(start: number, period: number, t: number): number {
  if (t < start) return start;
  return start + (Math.floor((t - start) / period) + 1) * period;
}

function describeCall(c: PermissionCall, tokens: TokenInfos, names: Names): string {
  if (c.selector === 'value') {
    const sym = tokenInfo('native', tokens).symbol;
    return c.to === 'any' ? `May send ${sym} to any address` : `May send ${sym} to ${label(c.to, tokens, names)}`;
  }
  if (c.to === 'any') return `May call ${selectorName(c.selector as Hex, names)} on any contract`;
  const target = label(c.to, tokens, names);
  if (c.selector === 'any') return `May call any function of ${target}`;
  const conditions = (c.args ?? []).map((a) => describeCondition(c.to as Address, c.selector as Hex, a, tokens, names));
  return `May call ${target}.${selectorName(c.selector, names)}${conditions.length ? `, ${conditions.join(', ')}` : ''}`;
}

/** "only to 0xabc…, 0xdef…", "at most 30 USDC a call", or the argument's index and words. */
function describeCondition(to: Address, selector: Hex, a: ArgCondition, tokens: TokenInfos, names: Names): string {
  const name = ERC20_ARG_NAMES[selector.toLowerCase()]?.[a.arg];
  const token = tokens[to.toLowerCase()];
  const asAddress = (w: Hex) => (BigInt(w) >> 160n === 0n ? label(getAddress(`0x${w.slice(26)}`), tokens, names) : w);
  const asAmount = (w: Hex) => (token ? `${amount(BigInt(w), token)} ${token.symbol}` : group(BigInt(w).toString()));
  if (name && name !== 'amount') {
    const who = a.values.map(asAddress).join(', ');
    const verb = name === 'recipient' ? 'only to' : name === 'spender' ? 'only for' : 'only from';
    if (a.op === 'oneOf' || a.op === 'equal') return `${verb} ${who}`;
  }
  if (name === 'amount') {
    if (a.op === 'atMost') return `at most ${asAmount(a.values[0]!)} a call`;
    if (a.op === 'atLeast') return `at least ${asAmount(a.values[0]!)} a call`;
  }
  const what = name ?? `argument ${a.arg}`;
  const words = a.values.map((w) => (BigInt(w) >> 160n === 0n && BigInt(w) > 2n ** 96n ? asAddress(w) : group(BigInt(w).toString())));
  if (a.op === 'oneOf') return `${what} one of ${words.join(', ')}`;
  return `${what} ${a.op === 'equal' ? 'equal to' : a.op === 'atMost' ? 'at most' : 'at least'} ${words[0]}`;
}

function tokenInfo(token: Address | 'native', tokens: TokenInfos): TokenInfo {
  if (token === 'native') return tokens.native ?? NATIVE_DEFAULT;
  return tokens[token.toLowerCase()] ?? { symbol: `units of ${short(token)}`, decimals: 0 };
}

function label(a: Address, tokens: TokenInfos, names: Names): string {
  const k = a.toLowerCase();
  return names.targets?.[k] ?? tokens[k]?.symbol ?? short(a);
}

function selectorName(sel: Hex, names: Names): string {
  const k = sel.toLowerCase();
  return names.selectors?.[k] ?? KNOWN_SELECTORS[k] ?? k;
}

function short(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

function amount(v: bigint, t: TokenInfo): string {
  return group(formatUnits(v, t.decimals));
}

/** 1234567.5 → 1,234,567.5 */
function group(s: string): string {
  const [int = '', frac] = s.split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** For "in any …": an hour, 24 hours, 7 days. */
function span(s: number): string {
  if (s === MINUTE) return 'minute';
  if (s === HOUR) return 'hour';
  if (s === DAY) return '24 hours';
  if (s === 1) return 'second';
  return duration(s);
}

/** For "a period of …": 1 day, 7 days, 90 minutes: the largest unit that divides it. */
function duration(s: number): string {
  if (s % DAY === 0) return plural(s / DAY, 'day');
  if (s % HOUR === 0) return plural(s / HOUR, 'hour');
  if (s % MINUTE === 0) return plural(s / MINUTE, 'minute');
  return plural(s, 'second');
}

/** For "in the last …": 24 h, 7 days, 30 min. */
function shortSpan(s: number): string {
  if (s % DAY === 0 && s >= 2 * DAY) return plural(s / DAY, 'day');
  if (s % HOUR === 0) return `${s / HOUR} h`;
  if (s % MINUTE === 0) return `${s / MINUTE} min`;
  return `${s} s`;
}

/** Rounded down to its largest unit: "7 days", "3 hours", "less than a minute". */
/** Rounded, not floored: a grant of 7 days, seen a second later, still reads "in 7 days". */
function relative(s: number): string {
  if (s >= DAY - HOUR / 2) return plural(Math.round(s / DAY), 'day');
  if (s >= HOUR - MINUTE / 2) return plural(Math.round(s / HOUR), 'hour');
  if (s >= MINUTE) return plural(Math.floor(s / MINUTE), 'minute');
  return 'less than a minute';
}

/**
 * The same words the permission lines use, for other screens (usage, audit) that show amounts,
 * addresses and tokens: one way of writing them across the extension.
 */
export { amount as formatAmount, label as addressLabel, selectorName as selectorLabel, tokenInfo as tokenInfoOf };

/** 2026-11-22 00:00 UTC (minutes, not seconds: enough to read, and what people write). */
export function formatDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return `unix time ${seconds}`;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
