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
  /** The key's limit on this token, drawn as a line when it is a per-day limit (the chart's unit). */
  limit?: { amount: bigint; periodSeconds: number };
};

const HEIGHT = 60;
const BAR = 10;
const GAP = 2;

export function SpendChart({ entries, token, tokenInfo, timestamps, now, initialDays = 7, limit }: SpendChartProps) {
  const [span, setSpan] = useState<7 | 30>(initialDays);
  const { days, undated } = spendByDay(entries, { token, days: span, now: now ?? Math.floor(Date.now() / 1000), timestamps });
  const max = days.reduce((m, d) => (d.amount > m ? d.amount : m), 0n);
  // A per-day limit is drawn, and the scale reaches it: a day at the limit reads as full.
  const dayLimit = limit && limit.periodSeconds === 86_400 ? limit.amount : undefined;
  const top = dayLimit !== undefined && dayLimit > max ? dayLimit : max;
  const total = days.reduce((s, d) => s + d.amount, 0n);
  const money = (v: bigint) => `${formatAmount(v, tokenInfo)} ${tokenInfo.symbol}`;
  const day = (start: number) => formatDate(start).slice(0, 10);
  const busiest = days.find((d) => d.amount === max);
  const label =
    `${tokenInfo.symbol} spent per day, last ${span} days: ${money(total)} in total` +
    (max > 0n && busiest ? `, most on ${day(busiest.start)} (${money(max)})` : '') +
    (dayLimit !== undefined ? `; the limit is ${money(dayLimit)} a day` : '') +
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
            className={`rounded px-2 py-0.5 ${span === n ? 'bg-primary text-on-primary' : 'bg-surface text-fg'}`}
          >
            {n} days
          </button>
        ))}
      </div>
      <div className="flex gap-1">
        {/* The y axis: the scale's top and zero. */}
        <div aria-hidden="true" className="flex h-16 flex-col justify-between text-right text-[10px] text-muted">
          <span>{money(top)}</span>
          <span>0</span>
        </div>
        <svg
          role="img"
          aria-label={label}
          viewBox={`0 0 ${span * (BAR + GAP)} ${HEIGHT}`}
          preserveAspectRatio="none"
          className="h-16 w-full border-b border-l border-line"
        >
          {days.map((d, i) => {
            // Scale on bigints first: amounts in base units overflow a float's exact range. A day
            // with any spend keeps a sliver of bar, so "a little" never looks like "nothing".
            const h = d.amount === 0n ? 0 : Math.max(1, (Number((d.amount * 1000n) / top) / 1000) * HEIGHT);
            return (
              <rect key={d.start} x={i * (BAR + GAP)} y={HEIGHT - h} width={BAR} height={h} className="fill-primary">
                <title>{`${day(d.start)}: ${money(d.amount)}`}</title>
              </rect>
            );
          })}
          {dayLimit !== undefined && top > 0n && (
            <line
              data-testid="limit-line"
              x1={0}
              x2={span * (BAR + GAP)}
              y1={HEIGHT - (Number((dayLimit * 1000n) / top) / 1000) * HEIGHT}
              y2={HEIGHT - (Number((dayLimit * 1000n) / top) / 1000) * HEIGHT}
              className="stroke-danger"
              strokeDasharray="3 2"
              vectorEffect="non-scaling-stroke"
            >
              <title>{`Limit: ${money(dayLimit)} a day`}</title>
            </line>
          )}
        </svg>
      </div>
      {/* The x axis: the first and the last day shown. */}
      <figcaption aria-hidden="true" className="flex justify-between pl-8 text-[10px] text-muted">
        <span>{days[0] && day(days[0].start)}</span>
        <span>{days.at(-1) && day(days.at(-1)!.start)}</span>
      </figcaption>
    </figure>
  );
}
