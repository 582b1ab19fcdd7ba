import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { createCall } from '@/components/client';
import { Onboarding } from '@/components/Onboarding';
import { Unlock } from '@/components/Unlock';
import { AccountsView } from '@/components/popup/AccountsView';
import { KeysView } from '@/components/popup/KeysView';
import { NetworksView } from '@/components/popup/NetworksView';
import { createPopupStore } from '@/components/popup/store';
import { UnreadableBanner } from '@/components/popup/UnreadableBanner';

const send = createCall((m) => browser.runtime.sendMessage(m));

/** The key an alert opened the popup on (`#key=<networkId>:<keyId>`), shown focused in the Keys tab. */
function focusedKey(): { networkId: string; keyId: string } | undefined {
  const m = /^#key=([^:]+):(\d+)$/.exec(decodeURIComponent(location.hash));
  return m ? { networkId: m[1]!, keyId: m[2]! } : undefined;
}
const store = createPopupStore(send);

export function App() {
  const { overview, phrase, error, refresh, run, dismissPhrase } = useStore(store);
  const [tab, setTab] = useState<'keys' | 'accounts' | 'networks' | 'sites'>('keys');

  useEffect(() => void refresh(), [refresh]);
  const status = overview?.status;

  return (
    <main className="w-[26rem] space-y-3 p-4 font-sans text-sm">
      <h1 className="text-lg font-semibold">Functor</h1>
      <UnreadableBanner unreadable={overview?.unreadable} />
      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-700">
          {error}
        </p>
      )}
      {!status && <p>Loading…</p>}
      {status && !status.hasVault && <Onboarding run={run} />}
      {status?.hasVault && status.locked && <Unlock onUnlock={(password) => run({ type: 'wallet:unlock', password })} />}
      {status && !status.locked && (
        <section aria-label="Owner" className="space-y-2">
          {phrase && (
            <div role="note" className="rounded border border-amber-400 bg-amber-50 p-2">
              <p className="font-medium">Secret recovery phrase: write it down now, it is shown once.</p>
              <p data-testid="phrase" className="font-mono">
                {phrase}
              </p>
              <button className="mt-2 rounded bg-gray-900 px-3 py-1 text-white" onClick={dismissPhrase}>
                I wrote it down
              </button>
            </div>
          )}
          <p>
            Owner{' '}
            <span data-testid="owner" className="font-mono">
              {status.owner}
            </span>
          </p>
          <p className="text-xs text-gray-600">
            {overview?.active ? `${overview.active.name} · chain ${overview.active.chainId}` : 'No network'}
            {overview?.pending.length ? ` · ${overview.pending.length} request(s) waiting` : ''}
          </p>
          <div role="tablist" className="flex gap-3 border-b">
            {(['keys', 'accounts', 'networks', 'sites'] as const).map((t) => (
              <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'font-semibold underline' : ''} onClick={() => setTab(t)}>
                {t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          {tab === 'keys' && overview?.active && <KeysView key={overview.active.id} send={send} focus={focusedKey()} />}
          {tab === 'accounts' && overview?.active && <AccountsView key={overview.active.id} send={send} />}
          {tab === 'networks' && overview && <NetworksView send={send} networks={overview.networks} active={overview.active} onChange={() => void refresh()} />}
          {tab === 'sites' && overview && (
            <ul aria-label="Connected sites" className="space-y-1">
              {Object.keys(overview.connections).length === 0 && <li>No site is connected.</li>}
              {Object.entries(overview.connections).map(([origin, c]) => (
                <li key={origin} className="flex items-center justify-between rounded border p-2">
                  <span>
                    <span className="font-mono">{origin}</span> · {c.accounts.length} account(s)
                  </span>
                  <button className="rounded border px-2" onClick={() => void send({ type: 'ui:disconnect', origin }).then(refresh)}>
                    Disconnect
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button className="rounded border px-3 py-1" onClick={() => run({ type: 'wallet:lock' })}>
            Lock
          </button>
        </section>
      )}
    </main>
  );
}
