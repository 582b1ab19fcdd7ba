// Spend of one token per day over the last 7 or 30 days, as bars. Screen readers get the same
// story in the label (total, busiest day); each bar's <title> gives its day and amount.
import { useState } from 'react';
import type { Address } from 'viem';
import type { HistoryEntry } from '@/lib/audit/history';
import { spendByDay } from '@/lib/audit/spendByDay';
import { formatAmount, formatDate, type TokenInfo } from '@/lib/permissions';

export type SpendChartProps = {
  entries: readonly HistoryEntry[];
  token: Address | 'native';
  tokenInfo: TokenInfo;
  /** Block number → unix seconds (readBlockTimestamps). */
  timestamps: ReadonlyMap<bigint, number>;
  now?: number;
  initialDays?: 7 | 30;
};

const HEIGHT = 60;
const BAR = 10;
const GAP = 2;

export function SpendChart({ entries, token, tokenInfo, timestamps, now, initialDays = 7 }: SpendChartProps) {
  const [span, setSpan] = useState<7 | 30>(initialDays);
  const { days, undated } = spendByDay(entries, { token, days: span, now: now ?? Math.floor(Date.now() / 1000), timestamps });
  const max = days.reduce((m, d) => (d.amount > m ? d.amount : m), 0n);
  const total = days.reduce((s, d) => s + d.amount, 0n);
  const money = (v: bigint) => `${formatAmount(v, tokenInfo)} ${tokenInfo.symbol}`;
  const day = (start: number) => formatDate(start).slice(0, 10);
  const busiest = days.find((d) => d.amount === max);
  const label =
    `${tokenInfo.symbol} spent per day, last ${span} days: ${money(total)} in total` +
    (max > 0n && busiest ? `, most on ${day(busiest.start)} (${money(max)})` : '') +
    (undated ? `; ${undated} spend${undated === 1 ? '' : 's'} of unknown date left out` : '');
  return (
    <figure className="space-y-1">
      <div role="group" aria-label="Chart period" className="flex gap-1 text-xs">
        {([7, 30] as const).map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={span === n}
            onClick={() => setSpan(n)}
            className={`rounded px-2 py-0.5 ${span === n ? 'bg-gray-900 text-white' : 'bg-gray-100 text-gray-800'}`}
          >
            {n} days
          </button>
        ))}
      </div>
      <svg role="img" aria-label={label} viewBox={`0 0 ${span * (BAR + GAP)} ${HEIGHT}`} preserveAspectRatio="none" className="h-16 w-full">
        {days.map((d, i) => {
          // Scale on bigints first: amounts in base units overflow a float's exact range. A day
          // with any spend keeps a sliver of bar, so "a little" never looks like "nothing".
          const h = d.amount === 0n ? 0 : Math.max(1, (Number((d.amount * 1000n) / max) / 1000) * HEIGHT);
          return (
            <rect key={d.start} x={i * (BAR + GAP)} y={HEIGHT - h} width={BAR} height={h} className="fill-indigo-500">
              <title>{`${day(d.start)}: ${money(d.amount)}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
