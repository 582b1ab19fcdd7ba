// A history entry in words for the timeline: what was called, on what, how much, to whom (when
// the calldata is known), and why a blocked attempt was refused. Amounts, addresses and
// selectors are written by lib/permissions, as on the approval screen.
import { decodeFunctionData, erc20Abi, type Address, type Hex } from 'viem';
import { describeRefusal } from '../permissions/refusal.js';
import { addressLabel, formatAmount, NATIVE_TOKEN, selectorLabel, tokenInfoOf, VALUE_SELECTOR, type Names, type TokenInfos } from '../permissions/index.js';
import type { HistoryEntry } from './history.js';

type Executed = Extract<HistoryEntry, { kind: 'executed' }>;
type Call = Executed['calls'][number];
type Spend = Executed['spends'][number];

const tokenOf = (a: Address): Address | 'native' => (a.toLowerCase() === NATIVE_TOKEN ? 'native' : a);

function money(v: bigint, token: Address | 'native', tokens: TokenInfos): string {
  const t = tokenInfoOf(token, tokens);
  return `${formatAmount(v, t)} ${t.symbol}`;
}

/** "transfer 640 USDC to 0xabcd…1234", or "transfer on USDC" when the calldata is unknown. */
export function describeCall(c: Call, tokens: TokenInfos = {}, names: Names = {}): string {
  const at = (a: Address) => addressLabel(a, tokens, names);
  if (c.selector.toLowerCase() === VALUE_SELECTOR) return `send ${money(c.value, 'native', tokens)} to ${at(c.target)}`;
  const withValue = c.value > 0n ? `, with ${money(c.value, 'native', tokens)}` : '';
  const erc20 = c.data ? decodeErc20(c.data) : undefined;
  if (erc20) {
    const amt = (v: bigint) => money(v, c.target, tokens);
    switch (erc20.functionName) {
      case 'transfer':
        return `transfer ${amt(erc20.args[1])} to ${at(erc20.args[0])}${withValue}`;
      case 'approve':
        return `approve ${at(erc20.args[0])} to spend ${amt(erc20.args[1])}${withValue}`;
      case 'transferFrom':
        return `transferFrom ${amt(erc20.args[2])} from ${at(erc20.args[0])} to ${at(erc20.args[1])}${withValue}`;
    }
  }
  return `${selectorLabel(c.selector, names)} on ${at(c.target)}${withValue}`;
}

/** Only the functions that move tokens: their arguments are what an auditor asks about. */
function decodeErc20(data: Hex) {
  try {
    const d = decodeFunctionData({ abi: erc20Abi, data });
    if (d.functionName === 'transfer' || d.functionName === 'approve' || d.functionName === 'transferFrom') return d;
  } catch {
    // not ERC-20 calldata: fall back to the selector's name
  }
  return undefined;
}

/** "640 USDC counted (640 / 1,000 USDC used in the window)". */
export function describeSpend(s: Spend, tokens: TokenInfos = {}): string {
  const token = tokenOf(s.token);
  const t = tokenInfoOf(token, tokens);
  return `${money(s.counted, token, tokens)} counted (${formatAmount(s.used, t)} / ${formatAmount(s.limit, t)} ${t.symbol} used in the window)`;
}

export type EntryWords = { title: string; details: string[] };

/** The headline and detail lines of one timeline row. */
export function describeEntry(e: HistoryEntry, tokens: TokenInfos = {}, names: Names = {}): EntryWords {
  if (e.kind === 'blocked') {
    const stage = e.refusal.stage === 'validation' ? 'in validation' : 'in execution';
    return { title: `Blocked ${stage}: ${describeRefusal(e.refusal, tokens)}`, details: [] };
  }
  const calls = e.calls.map((c) => describeCall(c, tokens, names));
  const title = calls.length === 1 ? calls[0]! : `${calls.length} calls: ${calls.join('; ')}`;
  return { title, details: e.spends.filter((s) => s.counted > 0n).map((s) => describeSpend(s, tokens)) };
}

/** Where a signer id is shown: a name when the user gave one, else a short id. */
export function signerLabel(signer: Hex, signerNames: Record<string, string> = {}): string {
  return addressLabel(signer, {}, { targets: signerNames });
}
