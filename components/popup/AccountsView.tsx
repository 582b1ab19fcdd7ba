import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { AccountHistory } from './AccountHistory';
import { Amount } from '@/components/format/Amount';

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
    <section aria-label="Accounts" className="space-y-2">
      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-700">
          {error}
        </p>
      )}
      {!accounts && !error && <p>Loading accounts…</p>}
      <ul className="space-y-2">
        {accounts?.map((a) => (
          <li key={a.address} aria-label={`${a.name} account`} className="rounded border p-2">
            <p className="font-medium">
              {a.name} {a.imported && <span className="text-xs text-gray-600">(imported)</span>}
            </p>
            <p className="break-all font-mono text-xs">{a.address}</p>
            <p className="text-xs">
              {a.deployed ? 'Deployed' : 'Not deployed yet'} · <Amount v={BigInt(a.balance)} decimals={18} symbol="ETH" /> ·{' '}
              <span data-testid="functor-status">{a.validator && a.hook ? 'Functor installed' : 'Functor not installed'}</span>
            </p>
            {a.otherHook && (
              <p role="alert" className="text-xs text-red-700">
                Another global hook is installed ({a.otherHook}): Functor's hook cannot be added next to it.
              </p>
            )}
            {!(a.validator && a.hook) && !a.otherHook && (
              <button
                className="mt-1 rounded bg-gray-900 px-3 py-1 text-white disabled:opacity-40"
                disabled={busy !== undefined}
                onClick={() => void install(a)}
              >
                {busy === a.address ? 'Installing…' : `Install Functor on ${a.name}`}
              </button>
            )}
            {a.deployed && (
              <button className="ml-2 text-xs underline" aria-expanded={open === a.address} onClick={() => setOpen(open === a.address ? undefined : a.address)}>
                {open === a.address ? 'Hide history' : `History of ${a.name}`}
              </button>
            )}
            {open === a.address && <AccountHistory send={send} address={a.address} />}
          </li>
        ))}
      </ul>
      <form
        className="flex gap-1"
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
            className="w-full rounded border p-1 font-mono text-xs"
            placeholder="0x… existing account"
            value={importing}
            onChange={(e) => setImporting(e.target.value)}
          />
        </label>
        <button className="rounded border px-2">Import account</button>
      </form>
    </section>
  );
}
