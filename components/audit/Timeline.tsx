// A key's or an account's history, newest first, one page at a time: only the page's rows are
// built, so 10,000 entries cost what 50 do. Words from lib/audit/describeEntry.
import { useState } from 'react';
import type { HistoryEntry } from '@/lib/audit/history';
import { describeEntry, signerLabel } from '@/lib/audit/describeEntry';
import { formatDate, type Names, type TokenInfos } from '@/lib/permissions';

export type TimelineProps = {
  /** As readHistory returns them: oldest first. */
  entries: readonly HistoryEntry[];
  tokens?: TokenInfos;
  names?: Names;
  /** Signer ids (lowercase bytes32) → names the user knows them by. */
  signerNames?: Record<string, string>;
  /** Block number → unix seconds; without it a row shows its block number. */
  timestamps?: ReadonlyMap<bigint, number>;
  /** The network's block explorer (e.g. https://etherscan.io); no link-out without it. */
  explorerUrl?: string;
  pageSize?: number;
};

export function Timeline({ entries, tokens = {}, names = {}, signerNames, timestamps, explorerUrl, pageSize = 50 }: TimelineProps) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  // Entries can shrink under us (another key picked): stay on a page that exists.
  const current = Math.min(page, pages - 1);
  const from = current * pageSize;
  const to = Math.min(from + pageSize, entries.length);
  // Newest first without copying or reversing the whole list.
  const rows = Array.from({ length: to - from }, (_, i) => entries[entries.length - 1 - from - i]!);
  const explorer = explorerUrl?.replace(/\/+$/, '');

  if (entries.length === 0) return <p className="text-sm text-muted">Nothing yet: no executions or blocked attempts.</p>;
  return (
    <section aria-label="Activity" className="space-y-2">
      <ol className="divide-y divide-line">
        {rows.map((e) => {
          const words = describeEntry(e, tokens, names);
          const t = e.at ?? timestamps?.get(e.blockNumber);
          return (
            <li key={`${e.transactionHash}-${e.logIndex}`} data-kind={e.kind} className="py-1.5 text-sm">
              <p className={`flex items-center gap-1.5 ${e.kind === 'blocked' ? 'font-medium text-danger-text' : 'text-fg'}`}>
                <KindIcon kind={e.kind} />
                {words.title}
              </p>
              {words.details.map((d, i) => (
                <p key={i} className="text-xs text-muted">
                  {d}
                </p>
              ))}
              <p className="text-xs text-muted">
                {e.chain && `${e.chain} · `}
                {t === undefined ? `block ${e.blockNumber}` : formatDate(t)}
                {e.kind === 'executed' && ` · signed by ${signerLabel(e.signer, signerNames)}`}
                {explorer && (
                  <>
                    {' · '}
                    <a href={`${explorer}/tx/${e.transactionHash}`} target="_blank" rel="noreferrer" className="underline">
                      View transaction
                    </a>
                  </>
                )}
              </p>
            </li>
          );
        })}
      </ol>
      <nav aria-label="Pages" className="flex items-center justify-between text-xs">
        <button
          type="button"
          disabled={current === 0}
          onClick={() => setPage(current - 1)}
          className="rounded-control border border-line px-2 py-0.5 hover:bg-surface disabled:opacity-50"
        >
          Previous page
        </button>
        <span aria-live="polite">
          {from + 1}–{to} of {entries.length.toLocaleString('en-US')}
        </span>
        <button
          type="button"
          disabled={current >= pages - 1}
          onClick={() => setPage(current + 1)}
          className="rounded-control border border-line px-2 py-0.5 hover:bg-surface disabled:opacity-50"
        >
          Next page
        </button>
      </nav>
    </section>
  );
}

/** Executed: a check in a circle; blocked: a barred circle (decorative: the title says which). */
function KindIcon({ kind }: { kind: HistoryEntry['kind'] }) {
  return (
    <svg
      aria-hidden="true"
      data-icon={kind}
      viewBox="0 0 24 24"
      className={`h-4 w-4 shrink-0 ${kind === 'blocked' ? 'text-danger-text' : 'text-ok-text'}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
    >
      <circle cx="12" cy="12" r="9" />
      {kind === 'blocked' ? <path d="M5.6 5.6l12.8 12.8" /> : <path d="M8 12.5l2.7 2.7L16 9.8" />}
    </svg>
  );
}
