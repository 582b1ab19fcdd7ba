// Spend per day for a chart, from executed history entries. Days are UTC days, as formatDate
// writes dates, so a bar's label and the timeline agree. The event carries block numbers only:
// the caller passes block timestamps (readBlockTimestamps) rather than this reading the chain.
import { getAddress, type Address } from 'viem';
import { NATIVE_TOKEN } from '../permissions/index.js';
import type { HistoryEntry } from './history.js';

export const DAY = 86_400;

export type DaySpend = { /** Unix seconds of the day's 00:00 UTC. */ start: number; amount: bigint };

/**
 * The `days` UTC days ending with the one containing `now`, oldest first, each with the sum of
 * what the hook counted as spend of `token` ('native' or an address). Entries whose block has no
 * timestamp in `timestamps` cannot be placed: they are counted in `undated`, not guessed.
 */
export function spendByDay(
  entries: readonly HistoryEntry[],
  p: { token: Address | 'native'; days: number; now: number; timestamps: ReadonlyMap<bigint, number> },
): { days: DaySpend[]; undated: number } {
  const token = p.token === 'native' ? NATIVE_TOKEN : getAddress(p.token);
  const first = Math.floor(p.now / DAY) * DAY - (p.days - 1) * DAY;
  const days: DaySpend[] = Array.from({ length: p.days }, (_, i) => ({ start: first + i * DAY, amount: 0n }));
  let undated = 0;
  for (const e of entries) {
    if (e.kind !== 'executed') continue;
    let counted = 0n;
    for (const s of e.spends) if (s.counted > 0n && getAddress(s.token) === token) counted += s.counted;
    if (counted === 0n) continue;
    const t = e.at ?? p.timestamps.get(e.blockNumber);
    if (t === undefined) {
      undated++;
      continue;
    }
    const i = Math.floor((t - first) / DAY);
    if (i >= 0 && i < p.days) days[i]!.amount += counted;
  }
  return { days, undated };
}
