import { useEffect, useState } from 'react';
import type { HistoryEntry } from '@/lib/audit/history';
import { Timeline } from '@/components/audit/Timeline';
import { ExportButtons } from '@/components/audit/ExportButtons';

import type { Call } from '../client';

/** One account's trail: what every key did on it, and the ops that were blocked. */
export function AccountHistory({ send, address }: { send: Call; address: string }) {
  const [h, setH] = useState<{ entries: HistoryEntry[]; timestamps: Map<bigint, number>; explorerUrl?: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    void send({ type: 'ui:accountHistory', address }).then((r) => {
      if (!r.ok) return setError(r.error);
      const x = r.history;
      setH({ entries: x.entries, timestamps: new Map(x.timestamps), ...(x.explorerUrl && { explorerUrl: x.explorerUrl }) });
    });
  }, [send, address]);
  if (error) return <p role="alert">{error}</p>;
  if (!h) return <p>Loading the history…</p>;
  return (
    <section aria-label={`History of ${address}`} className="space-y-2">
      {h.entries.length === 0 ? (
        <p className="text-xs">Nothing yet: no key has acted on this account.</p>
      ) : (
        <Timeline entries={h.entries} timestamps={h.timestamps} {...(h.explorerUrl && { explorerUrl: h.explorerUrl })} />
      )}
      {h.entries.length > 0 && <ExportButtons entries={h.entries} filename={`functor-account-${address.slice(2, 10)}`} timestamps={h.timestamps} />}
    </section>
  );
}
