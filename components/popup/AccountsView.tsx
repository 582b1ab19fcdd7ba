import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { AccountHistory } from './AccountHistory';
import { Amount } from '@/components/format/Amount';
import { Button } from '@/components/ui/Button';
import { Chip } from '@/components/ui/Chip';
import { CopyButton } from '@/components/ui/CopyButton';
import { Identicon } from '@/components/ui/Identicon';
import { Notice } from '@/components/ui/Notice';
import { Skeleton } from '@/components/ui/Skeleton';

/** The owner's Kernel, Nexus and Safe accounts on the active network, and imported ones. */
export function AccountsView({ send }: { send: Call }) {
  const [accounts, setAccounts] = useState<AccountView[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [importing, setImporting] = useState('');
  const [open, setOpen] = useState<string | undefined>();

  const load = useCallback(async () => {
    const r = await send({ type: 'ui:accounts' });
    if (r.ok) {
      setAccounts(r.accounts);
      setError(undefined);
    } else setError(r.error);
  }, [send]);
  useEffect(() => void load(), [load]);

  const install = async (a: AccountView) => {
    setBusy(a.address);
    setError(undefined);
    const r = await send({ type: 'ui:install', address: a.address });
    setBusy(undefined);
    if (!r.ok) setError(r.error);
    await load();
  };

  return (
    <section aria-label="Accounts" className="space-y-3">
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      {!accounts && !error && <Skeleton label="Loading accounts" />}
      <ul className="space-y-2">
        {accounts?.map((a) => {
          const installed = a.validator && a.hook;
          return (
            <li key={a.address} aria-label={`${a.name} account`} className="space-y-2 rounded-card border border-line bg-raised p-3">
              <div className="flex items-start gap-3">
                <Identicon address={a.address} size={32} />
                <div className="min-w-0 flex-1">
                  <p className="flex items-center gap-2 font-semibold">
                    {a.name} {a.imported && <span className="text-xs font-normal text-muted">(imported)</span>}
                  </p>
                  <p className="flex items-start gap-1">
                    <span className="break-all font-mono text-xs text-muted">{a.address}</span>
                    <CopyButton text={a.address} label={`Copy ${a.name} address`} />
                  </p>
                </div>
                <p className="text-right font-semibold">
                  <Amount v={BigInt(a.balance)} decimals={18} symbol="ETH" />
                </p>
              </div>
              <p className="flex flex-wrap items-center gap-1">
                <Chip state={a.deployed ? 'neutral' : 'expiring'}>{a.deployed ? 'Deployed' : 'Not deployed yet'}</Chip>
                <span data-testid="functor-status">
                  <Chip state={installed ? 'active' : 'neutral'}>{installed ? 'Functor installed' : 'Functor not installed'}</Chip>
                </span>
              </p>
              {a.otherHook && (
                <Notice tone="danger" role="alert" className="text-xs">
                  Another global hook is installed ({a.otherHook}): Functor's hook cannot be added next to it.
                </Notice>
              )}
              <div className="flex items-center gap-2">
                {!installed && !a.otherHook && (
                  <Button variant="primary" disabled={busy !== undefined} onClick={() => void install(a)}>
                    {busy === a.address ? 'Installing…' : `Install Functor on ${a.name}`}
                  </Button>
                )}
                {a.deployed && (
                  <Button variant="ghost" size="sm" aria-expanded={open === a.address} onClick={() => setOpen(open === a.address ? undefined : a.address)}>
                    {open === a.address ? 'Hide history' : `History of ${a.name}`}
                  </Button>
                )}
              </div>
              {open === a.address && <AccountHistory send={send} address={a.address} />}
            </li>
          );
        })}
      </ul>
      <form
        className="flex items-end gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await send({ type: 'ui:importAccount', address: importing.trim() });
          if (!r.ok) setError(r.error);
          else {
            setImporting('');
            await load();
          }
        }}
      >
        <label className="flex-1">
          <span className="sr-only">Account address</span>
          <input
            className="w-full rounded-control border border-line bg-page px-2 py-1.5 font-mono text-xs"
            placeholder="0x… existing account"
            value={importing}
            onChange={(e) => setImporting(e.target.value)}
          />
        </label>
        <Button type="submit">Import account</Button>
      </form>
    </section>
  );
}
