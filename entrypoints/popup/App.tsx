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
import { Header } from '@/components/popup/Header';
import { ThemeSwitch } from '@/components/theme/ThemeSwitch';
import { themeSetting } from '@/components/theme/themeItem';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { IconLock } from '@/components/ui/icons';
import { Notice } from '@/components/ui/Notice';
import { Skeleton } from '@/components/ui/Skeleton';

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
    <main className="w-[26rem] space-y-3 bg-page p-4 font-sans text-sm text-fg">
      <h1 className="sr-only">Functor</h1>
      {status && !status.locked && status.owner && <Header send={send} owner={status.owner} network={overview?.active} />}
      {!(status && !status.locked) && (
        <p aria-hidden="true" className="text-lg font-semibold">
          Functor
        </p>
      )}
      <UnreadableBanner unreadable={overview?.unreadable} />
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      {!status && <Skeleton label="Loading" />}
      {status && !status.hasVault && <Onboarding run={run} />}
      {status?.hasVault && status.locked && <Unlock onUnlock={(password) => run({ type: 'wallet:unlock', password })} />}
      {status && !status.locked && (
        <section aria-label="Owner" className="space-y-3">
          {phrase && (
            <Notice tone="warn" role="note">
              <p className="font-medium">Secret recovery phrase: write it down now, it is shown once.</p>
              <p data-testid="phrase" className="my-2 rounded-control bg-page p-2 font-mono text-fg">
                {phrase}
              </p>
              <Button variant="primary" onClick={dismissPhrase}>
                I wrote it down
              </Button>
            </Notice>
          )}
          {overview?.pending.length ? (
            <Notice tone="info" role="status">
              {overview.pending.length} request(s) waiting
            </Notice>
          ) : null}
          <div role="tablist" aria-label="Sections" className="flex gap-1 border-b border-line">
            {(['keys', 'accounts', 'networks', 'sites'] as const).map((t) => (
              <button
                key={t}
                role="tab"
                aria-selected={tab === t}
                className={`-mb-px border-b-2 px-3 py-1.5 font-medium ${tab === t ? 'border-primary text-fg' : 'border-transparent text-muted hover:text-fg'}`}
                onClick={() => setTab(t)}
              >
                {t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          {tab === 'keys' && overview?.active && <KeysView key={overview.active.id} send={send} focus={focusedKey()} />}
          {tab === 'accounts' && overview?.active && <AccountsView key={overview.active.id} send={send} />}
          {tab === 'networks' && overview && <NetworksView send={send} networks={overview.networks} active={overview.active} onChange={() => void refresh()} />}
          {tab === 'sites' && overview && (
            <ul aria-label="Connected sites" className="space-y-2">
              {Object.keys(overview.connections).length === 0 && (
                <li>
                  <EmptyState title="No site is connected.">A site asks to connect from its page; it then shows here.</EmptyState>
                </li>
              )}
              {Object.entries(overview.connections).map(([origin, c]) => (
                <Card as="li" key={origin} className="flex items-center justify-between gap-2">
                  <span className="min-w-0">
                    <span className="block truncate font-mono">{origin}</span>
                    <span className="text-xs text-muted">{c.accounts.length} account(s)</span>
                  </span>
                  <Button size="sm" onClick={() => void send({ type: 'ui:disconnect', origin }).then(refresh)}>
                    Disconnect
                  </Button>
                </Card>
              ))}
            </ul>
          )}
          <footer className="flex items-center justify-between border-t border-line pt-3">
            <Button onClick={() => run({ type: 'wallet:lock' })}>
              <IconLock aria-hidden="true" size={14} />
              Lock
            </Button>
            <ThemeSwitch setting={themeSetting} />
          </footer>
        </section>
      )}
      {!(status && !status.locked) && (
        <div className="flex justify-end">
          <ThemeSwitch setting={themeSetting} />
        </div>
      )}
    </main>
  );
}
