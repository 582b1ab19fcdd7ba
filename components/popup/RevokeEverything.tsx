import { useState } from 'react';
import type { UiResults } from '@/lib/protocol/ui';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { Button } from '@/components/ui/Button';

type Report = UiResults['ui:revokeAll'];
type ChainState = { name: string; state: 'waiting' } | { name: string; state: 'answered'; report: Report } | { name: string; state: 'failed'; error: string };

/**
 * The way out when something went wrong: every live key of the owner ends, on every chain, one
 * operation per chain (per registering account) sent together. The confirmation lists what will
 * end; the report says what did, chain by chain, and what is still live (with Retry).
 */
export function RevokeEverything({ send, keys, onChanged }: { send: Call; keys: KeyView[]; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [chains, setChains] = useState<Record<string, ChainState>>({});
  const live = keys.filter((k) => !k.revoked);
  const liveChains = new Map<string, string>();
  for (const k of live) for (const c of k.chains) if (!c.revoked) liveChains.set(c.networkId, c.name);
  const busy = Object.values(chains).some((c) => c.state === 'waiting');
  const stillLive = Object.entries(chains).filter(([, c]) => c.state === 'failed' || (c.state === 'answered' && c.report.failed.length > 0));

  const revoke = async (networkIds: string[]) => {
    setChains((s) => ({
      ...s,
      ...Object.fromEntries(networkIds.map((id) => [id, { name: liveChains.get(id) ?? s[id]?.name ?? id, state: 'waiting' as const }])),
    }));
    await Promise.all(
      networkIds.map(async (networkId) => {
        const r = await send({ type: 'ui:revokeAll', networkId });
        setChains((s) => ({
          ...s,
          [networkId]: r.ok ? { name: r.chain.name, state: 'answered', report: r } : { name: s[networkId]!.name, state: 'failed', error: r.error },
        }));
      }),
    );
    onChanged();
  };

  if (!live.length && !Object.keys(chains).length) return null;
  return (
    <div className="space-y-1">
      {!confirming && (
        <Button variant="danger-outline" onClick={() => setConfirming(true)}>
          Revoke everything
        </Button>
      )}
      {confirming && (
        <div
          role="alertdialog"
          aria-label="Confirm revoke everything"
          className="space-y-2 rounded-card border border-danger-line bg-danger-soft p-3 text-xs text-danger-text"
        >
          <p className="text-sm">
            End every key ({live.length}) on every chain ({liveChains.size})? One operation per chain, sent together. Agents holding them are refused at once.
          </p>
          <ul className="list-disc pl-5">
            {live.map((k) => (
              <li key={`${k.chains[0]?.networkId}-${k.keyId}`}>
                {k.name}: {k.accounts.map((a) => `${a.name} on ${a.chain}`).join(', ')}
              </li>
            ))}
          </ul>
          {Object.keys(chains).length > 0 && (
            <div role="status" aria-label="Revoke everything progress">
              <ul>
                {Object.entries(chains).map(([id, c]) => (
                  <li key={id}>
                    {c.name}:{' '}
                    {c.state === 'waiting'
                      ? 'waiting for the transaction…'
                      : c.state === 'failed'
                        ? `nothing ended (${c.error})`
                        : `${c.report.ended.length} ended${c.report.failed.map((f) => `; still live: ${f.keys.length} from ${f.kind} (${f.error})`).join('')}`}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {stillLive.length > 0 && !busy && (
            <p role="alert" className="text-danger-text">
              Keys are still live on {stillLive.map(([, c]) => c.name).join(', ')}. Retry to end them there.
            </p>
          )}
          <div className="flex gap-2">
            {(Object.keys(chains).length === 0 || stillLive.length > 0) && (
              <Button variant="danger" disabled={busy} onClick={() => void revoke(stillLive.length ? stillLive.map(([id]) => id) : [...liveChains.keys()])}>
                {busy ? 'Revoking…' : stillLive.length ? 'Retry' : 'End every key'}
              </Button>
            )}
            <Button
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                setChains({});
              }}
            >
              {Object.keys(chains).length && !stillLive.length ? 'Close' : 'Cancel'}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
