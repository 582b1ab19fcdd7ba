// One spend or rate limit as a bar of what the current window used against the limit. The words
// come from formatUsage, the same as everywhere else; the colour from usageLevel.
import { formatUnits } from 'viem';
import { usageFraction, usageLevel, type UsageLevel } from '@/lib/audit/usageLevel';
import { formatUsage, type Period, type TokenInfo } from '@/lib/permissions';

export type UsageBarProps =
  | {
      kind: 'spend';
      /** Base units, as spendUsage returns them. */
      used: bigint;
      limit: bigint;
      token: TokenInfo;
      period: Period;
      /** spendUsage's resetsAt for fixed periods (0 or undefined: computed from the period). */
      resetsAt?: number;
      now?: number;
    }
  | {
      kind: 'rate';
      used: bigint;
      max: bigint;
      /** The rate policy's window (always sliding). */
      seconds: number;
    };

const COLORS: Record<UsageLevel, string> = { ok: 'bg-gauge-ok', near: 'bg-gauge-near', full: 'bg-gauge-full' };

// A rate reads like a spend of a token called "transactions", so it gets the same words.
const TRANSACTIONS: TokenInfo = { symbol: 'transactions', decimals: 0 };

export function UsageBar(p: UsageBarProps) {
  const [used, limit, token, text, name] =
    p.kind === 'spend'
      ? [
          p.used,
          p.limit,
          p.token,
          formatUsage(p.used, p.limit, p.token, p.period, { resetsAt: p.resetsAt || undefined, now: p.now }),
          `${p.token.symbol} spend`,
        ]
      : [p.used, p.max, TRANSACTIONS, formatUsage(p.used, p.max, TRANSACTIONS, { kind: 'sliding', seconds: p.seconds }), 'Transactions'];
  const level = usageLevel(used, limit);
  const units = (v: bigint) => Number(formatUnits(v, token.decimals));
  return (
    <div className="space-y-1">
      <div
        role="meter"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={units(limit)}
        // A meter's value must lie in its range; the text still says how far over it went.
        aria-valuenow={Math.min(units(used), units(limit))}
        aria-valuetext={text}
        data-level={level}
        className="h-2 w-full overflow-hidden rounded-full bg-gauge-track"
      >
        <div className={`h-full ${COLORS[level]}`} style={{ width: `${usageFraction(used, limit) * 100}%` }} />
      </div>
      <p className={`text-xs ${level === 'full' ? 'font-semibold text-danger-text' : level === 'near' ? 'font-medium text-warn-text' : 'text-muted'}`}>
        {text}
      </p>
    </div>
  );
}
