import type { PermissionView } from '@/lib/protocol/views';
import { Notice } from '@/components/ui/Notice';

/** The gas bound's line ("Gas: at most …"): a detail for the collapsed part, not the summary. */
const isGasLine = (l: string) => l.startsWith('Gas: ');

/**
 * One requested permission, top-down: the sentence, the limits as large figures (editable
 * downwards when the site allows it), the risks as red banners, then the rules in words.
 */
export function PermissionSummary(props: { p: PermissionView; sentence: string; amounts: string[]; onAmount: (index: number, value: string) => void }) {
  const { p } = props;
  return (
    <section aria-label={`Permission ${p.type}`} className="space-y-3">
      <p data-testid="sentence" className="text-base leading-snug font-semibold">
        {props.sentence}
      </p>
      {p.spends.length > 0 && (
        <div className="grid gap-2">
          {p.spends.map((s) => (
            <div key={s.index} className="rounded-card border border-line bg-surface p-3">
              <p data-testid={`limit-${s.index}`}>
                <span className="text-xs font-medium text-muted">Limit:</span>{' '}
                <strong className="text-figure">
                  {s.formatted} {s.symbol}
                </strong>
              </p>
              <p className="text-xs text-muted">{s.period}</p>
              {p.adjustable && (
                <label className="mt-2 flex items-center gap-2 text-xs">
                  {`Lower the limit (${s.symbol})`}
                  <input
                    className="w-32 rounded-control border border-line bg-page px-2 py-1"
                    inputMode="decimal"
                    value={props.amounts[s.index] ?? s.formatted}
                    onChange={(e) => props.onAmount(s.index, e.target.value)}
                  />
                </label>
              )}
            </div>
          ))}
        </div>
      )}
      {p.warnings.length > 0 && (
        <div role="alert" aria-label="Warnings">
          <ul className="space-y-1">
            {p.warnings.map((w) => (
              <li key={w}>
                <Notice tone="danger" className="font-medium">
                  {w}
                </Notice>
              </li>
            ))}
          </ul>
        </div>
      )}
      {p.justification && <p className="text-muted italic">“{p.justification}”</p>}
      <ul aria-label="What the agent may do" className="list-disc space-y-0.5 pl-5">
        {p.lines
          .filter((l) => !isGasLine(l))
          .map((l) => (
            <li key={l}>{l}</li>
          ))}
      </ul>
    </section>
  );
}

/** The rest, collapsed: the agent's address, the exact units, the gas bound, how it is enforced. */
export function PermissionMore({ p }: { p: PermissionView }) {
  return (
    <details className="rounded-card border border-line p-2 text-xs">
      <summary className="cursor-pointer font-medium">Details</summary>
      <ul aria-label="Details" className="mt-2 space-y-1 break-all">
        <li>
          Agent (session key) <span className="font-mono">{p.to}</span>
        </li>
        <li>Permission type {p.type}</li>
        {p.spends.map((s) => (
          <li key={s.index}>
            Limit {s.limit} base units of <span className="font-mono">{s.token}</span> ({s.decimals} decimals)
          </li>
        ))}
        {p.lines.filter(isGasLine).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {p.notes.length > 0 && (
        <>
          <p className="mt-2 font-medium">How it is enforced</p>
          <ul aria-label="How it is enforced" className="list-disc pl-5">
            {p.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
