import type { PermissionView } from '@/lib/protocol/views';

/**
 * One requested permission in words: who gets it, what it may call, how much per period (editable
 * downwards when the site allows it), until when, with warnings first.
 */
export function PermissionDetails(props: { p: PermissionView; amounts: string[]; onAmount: (index: number, value: string) => void }) {
  const { p } = props;
  return (
    <section aria-label={`Permission ${p.type}`} className="space-y-2 rounded border p-2">
      <p>
        <span className="font-medium">{p.type}</span> for the agent <span className="font-mono text-xs">{p.to}</span>
      </p>
      {p.warnings.length > 0 && (
        <ul role="alert" aria-label="Warnings" className="space-y-1">
          {p.warnings.map((w) => (
            <li key={w} className="flex items-start gap-2 rounded border border-danger-line bg-danger-soft p-2 font-medium text-danger-text">
              <WarningIcon />
              <span>{w}</span>
            </li>
          ))}
        </ul>
      )}
      {p.justification && <p className="italic">“{p.justification}”</p>}
      <ul aria-label="What the agent may do" className="list-disc pl-5">
        {p.lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {p.spends.map((s) => (
        <div key={s.index} className="rounded bg-surface p-2">
          <p data-testid={`limit-${s.index}`}>
            Limit:{' '}
            <strong className="text-2xl">
              {s.formatted} {s.symbol}
            </strong>
          </p>
          <p className="text-xs text-muted">{s.period}</p>
          {p.adjustable && (
            <label className="mt-1 block text-xs">
              {`Lower the limit (${s.symbol})`}
              <input
                className="ml-2 w-32 rounded border p-1"
                inputMode="decimal"
                value={props.amounts[s.index] ?? s.formatted}
                onChange={(e) => props.onAmount(s.index, e.target.value)}
              />
            </label>
          )}
        </div>
      ))}
      {p.notes.length > 0 && (
        <details className="text-xs text-muted">
          <summary className="cursor-pointer">How it is enforced</summary>
          <ul aria-label="How it is enforced" className="list-disc pl-5">
            {p.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** A warning triangle (decorative: the text says what is wrong). */
function WarningIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="mt-0.5 h-4 w-4 shrink-0"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4M12 17h.01" />
    </svg>
  );
}
