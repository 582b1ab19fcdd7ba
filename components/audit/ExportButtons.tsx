// Download the history as CSV or JSON. The files are written by lib/audit/export; this only hands
// them to the browser (Blob + object URL, released soon after the click).
import type { HistoryEntry } from '@/lib/audit/history';
import { historyToCsv, historyToJson, type ExportOptions } from '@/lib/audit/export';

export type ExportButtonsProps = ExportOptions & {
  entries: readonly HistoryEntry[];
  /** File name without extension, e.g. "functor-key-12". */
  filename?: string;
};

function download(text: string, type: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Some browsers read the URL after click() returns; a blob URL lives until its page closes anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButtons({ entries, filename = 'functor-history', ...o }: ExportButtonsProps) {
  const cls = 'rounded-control border border-line px-2 py-0.5 text-xs hover:bg-surface disabled:opacity-50';
  return (
    <div className="flex gap-2">
      <button type="button" className={cls} disabled={entries.length === 0} onClick={() => download(historyToCsv(entries, o), 'text/csv', `${filename}.csv`)}>
        Export CSV
      </button>
      <button
        type="button"
        className={cls}
        disabled={entries.length === 0}
        onClick={() => download(historyToJson(entries, o), 'application/json', `${filename}.json`)}
      >
        Export JSON
      </button>
    </div>
  );
}
