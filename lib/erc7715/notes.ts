// A request's notes are worked out once, when it arrives, before the token symbols are read: their
// amounts stay markers until shown, then read in token units where the token is known ("100 USDC")
// and in base units where it is not. So the approval stores its notes as data, and the window
// renders them with the token infos it reads.
import { formatUnits, type Address } from 'viem';
import type { TokenInfos } from '../permissions/describe.js';

const MARKER = /⟦(\d+)\|(native|0x[0-9a-fA-F]{40})⟧/g;

export const amountMarker = (v: bigint, token: Address | 'native') => `⟦${v}|${token}⟧`;

/** An amount for people: in the token's units when its symbol and decimals are known. */
export function formatAmount(v: bigint, token: Address | 'native', tokens: TokenInfos): string {
  const info = token === 'native' ? (tokens.native ?? { symbol: 'ETH', decimals: 18 }) : tokens[token.toLowerCase()];
  if (!info) return `${v} base units of ${token}`;
  return `${formatUnits(v, info.decimals)} ${info.symbol}`;
}

/** A note with its amount markers written out with `tokens`. */
export const renderNote = (note: string, tokens: TokenInfos) =>
  note.replace(MARKER, (_, v: string, token: string) => formatAmount(BigInt(v), token as Address | 'native', tokens));
