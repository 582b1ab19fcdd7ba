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
    // A key on several chains: each chain's history, read at once, merged by time and labelled.
    const chains = keyView.chains.length ? keyView.chains : [undefined];
    const multi = chains.length > 1;
    void Promise.all(
      chains.map((c) =>
        send({
          type: 'ui:keyHistory',
          keyId: (c?.keyId ?? keyView.keyId).toString(),
          ...(c && { networkId: c.networkId }),
          accounts: keyView.accounts.filter((a) => !c || a.networkId === c.networkId).map((a) => a.address),
        }),
      ),
    ).then((answers) => {
      const failed = answers.find((r) => !r.ok);
      if (failed && !failed.ok) return setError(failed.error);
      const ok = answers.flatMap((r) => (r.ok ? [r.history] : []));
      if (!multi) {
        const h = ok[0]!;
        return setHistory({ entries: h.entries, timestamps: new Map(h.timestamps), ...(h.explorerUrl && { explorerUrl: h.explorerUrl }) });
      }
      const entries = ok.flatMap((h, i) => {
        const times = new Map(h.timestamps);
        return h.entries.map((e) => ({ ...e, chain: chains[i]!.name, ...(times.has(e.blockNumber) && { at: times.get(e.blockNumber)! }) }));
      });
      // Oldest first, as one chain's history is; an entry without a time goes first (it cannot be placed).
      entries.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
      setHistory({ entries, timestamps: new Map() });
    });
  }, [send, keyView.keyId, keyView.chains, keyView.accounts, refreshKey]);
  if (error) return <p role="alert">{error}</p>;
  if (!history) return <p>Loading the history…</p>;
  const spend = keyView.accounts.flatMap((a) => a.permission?.spend ?? [])[0];
  const tokenKey = spend ? (spend.token === 'native' ? 'native' : spend.token.toLowerCase()) : undefined;
  return (
    <section aria-label="History" className="space-y-2">
      {spend && tokenKey && keyView.tokens[tokenKey] && (
        <SpendChart
          entries={history.entries}
          token={spend.token}
          tokenInfo={keyView.tokens[tokenKey]!}
          timestamps={history.timestamps}
          limit={{ amount: spend.limit, periodSeconds: spend.period.seconds }}
        />
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
