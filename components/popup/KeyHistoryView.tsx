import { useEffect, useState } from 'react';
import type { HistoryEntry } from '@/lib/audit/history';
import type { KeyView } from '@/lib/protocol/views';
import { Timeline } from '@/components/audit/Timeline';
import { SpendChart } from '@/components/usage/SpendChart';
import { ExportButtons } from '@/components/audit/ExportButtons';

import type { Call } from '../client';

/** A key's audit trail (executed and blocked), its spend chart, and the exports. */
export function KeyHistoryView({ send, keyView, refreshKey }: { send: Call; keyView: KeyView; refreshKey: number }) {
  const [history, setHistory] = useState<{ entries: HistoryEntry[]; timestamps: Map<bigint, number>; explorerUrl?: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    void send({ type: 'ui:keyHistory', keyId: keyView.keyId.toString(), accounts: keyView.accounts.map((a) => a.address) }).then((r) => {
      if (!r.ok) return setError(r.error);
      const h = r.history;
      setHistory({ entries: h.entries, timestamps: new Map(h.timestamps), ...(h.explorerUrl && { explorerUrl: h.explorerUrl }) });
    });
  }, [send, keyView.keyId, keyView.accounts, refreshKey]);
  if (error) return <p role="alert">{error}</p>;
  if (!history) return <p>Loading the history…</p>;
  const spend = keyView.accounts.flatMap((a) => a.permission?.spend ?? [])[0];
  const tokenKey = spend ? (spend.token === 'native' ? 'native' : spend.token.toLowerCase()) : undefined;
  return (
    <section aria-label="History" className="space-y-2">
      {spend && tokenKey && keyView.tokens[tokenKey] && (
        <SpendChart entries={history.entries} token={spend.token} tokenInfo={keyView.tokens[tokenKey]!} timestamps={history.timestamps} />
      )}
      <Timeline
        entries={history.entries}
        tokens={keyView.tokens}
        timestamps={history.timestamps}
        {...(history.explorerUrl && { explorerUrl: history.explorerUrl })}
      />
      <ExportButtons
        entries={history.entries}
        filename={`functor-key-${keyView.keyId.toString(16).slice(0, 8)}`}
        timestamps={history.timestamps}
        tokens={keyView.tokens}
      />
    </section>
  );
}
