import { useState } from 'react';
import { formatUnits, parseUnits } from 'viem';
import type { UiMessageOf } from '@/lib/protocol/ui';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { formatDate } from '@/lib/permissions';
import { UsageBar } from '@/components/usage/UsageBar';
import { KeyHistoryView } from './KeyHistoryView';

/** What a key's buttons send: each answers `{ ok }` or an error. */
type KeyAction = UiMessageOf<'ui:renameKey' | 'ui:disableKey' | 'ui:revokeKey' | 'ui:editPolicy' | 'ui:rotateSigner'>;

/**
 * One key: where it is enabled, its signers, expiry, policies in words and usage bars; Revoke (one
 * transaction, every account), Disable on one account, edit a limit, rotate the signer, history.
 */
export function KeyCard({ send, k, onChanged, refreshKey }: { send: Call; k: KeyView; onChanged: () => void; refreshKey: number }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState('');
  const [signer, setSigner] = useState('');
  const [renaming, setRenaming] = useState<string | undefined>();
  const live = !k.revoked;

  const act = async (label: string, message: KeyAction) => {
    setBusy(label);
    setError(undefined);
    const r = await send(message);
    setBusy(undefined);
    if (!r.ok) setError(r.error);
    onChanged();
  };

  const first = k.accounts.find((a) => a.permission)?.permission;
  const firstSpend = first?.spend[0];
  const spendToken = firstSpend && k.tokens[firstSpend.token === 'native' ? 'native' : firstSpend.token.toLowerCase()];

  return (
    <li aria-label={`Key ${k.name}`} className="space-y-2 rounded border p-2">
      <div className="flex items-center justify-between">
        {renaming === undefined ? (
          <p className="font-medium">
            {k.name}{' '}
            <button className="text-xs underline" onClick={() => setRenaming(k.name)}>
              Rename
            </button>
          </p>
        ) : (
          <form
            className="flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              void act('rename', { type: 'ui:renameKey', keyId: k.keyId.toString(), name: renaming }).then(() => setRenaming(undefined));
            }}
          >
            <label>
              <span className="sr-only">Key name</span>
              <input className="rounded border p-0.5" value={renaming} onChange={(e) => setRenaming(e.target.value)} />
            </label>
            <button className="rounded border px-2 text-xs">Save name</button>
          </form>
        )}
        {k.revoked ? <span className="rounded bg-gray-200 px-2 text-xs">Revoked</span> : <span className="rounded bg-emerald-100 px-2 text-xs">Active</span>}
      </div>
      <p className="text-xs text-gray-700">
        Enabled on {k.accounts.map((a) => a.name).join(', ') || 'no account'} · signer{k.signers.length === 1 ? '' : 's'}{' '}
        <span className="font-mono">{k.signers.map((s) => `0x${s.slice(-40, -32)}…`).join(', ')}</span> ·{' '}
        {k.expiry !== undefined ? `expires ${formatDate(k.expiry)}` : 'no expiry'}
      </p>
      {k.accounts.map((a) => (
        <div key={a.address} aria-label={`On ${a.name}`} className="space-y-1 rounded bg-gray-50 p-2">
          <p className="text-xs font-medium">
            {a.name} <span className="font-mono">{a.address.slice(0, 10)}…</span>
          </p>
          <ul className="list-disc pl-4 text-xs">
            {a.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {a.spends.map((s, i) => {
            const t = k.tokens[s.token === 'native' ? 'native' : s.token.toLowerCase()];
            return t ? <UsageBar key={i} kind="spend" used={s.used} limit={s.limit} token={t} period={s.period} resetsAt={s.resetsAt} /> : null;
          })}
          {a.rate && <UsageBar kind="rate" used={a.rate.used} max={a.rate.max} seconds={a.rate.seconds} />}
          {live && k.accounts.length > 1 && (
            <button
              className="rounded border px-2 text-xs"
              disabled={!!busy}
              onClick={() => void act(`disable-${a.address}`, { type: 'ui:disableKey', keyId: k.keyId.toString(), account: a.address })}
            >
              {busy === `disable-${a.address}` ? 'Disabling…' : `Disable on ${a.name}`}
            </button>
          )}
        </div>
      ))}
      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-700">
          {error}
        </p>
      )}
      {live && !confirming && (
        <button className="rounded bg-red-700 px-3 py-1 text-white" disabled={!!busy} onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
      {live && confirming && (
        <div role="alertdialog" aria-label="Confirm revoke" className="space-y-1 rounded border border-red-300 bg-red-50 p-2">
          <p>Revoke {k.name}? In one transaction, it stops working on:</p>
          <ul className="list-disc pl-5 text-xs">
            {k.accounts.map((a) => (
              <li key={a.address}>
                {a.name} <span className="font-mono">{a.address}</span>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <button
              className="rounded bg-red-700 px-3 py-1 text-white disabled:opacity-40"
              disabled={!!busy}
              onClick={() => void act('revoke', { type: 'ui:revokeKey', keyId: k.keyId.toString() }).then(() => setConfirming(false))}
            >
              {busy === 'revoke' ? 'Revoking… waiting for the transaction' : 'Revoke everywhere'}
            </button>
            <button className="rounded border px-3 py-1" disabled={!!busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {live && first && firstSpend && spendToken && (
        <form
          className="flex items-center gap-1 text-xs"
          onSubmit={(e) => {
            e.preventDefault();
            let next: bigint;
            try {
              next = parseUnits(limit.trim(), spendToken.decimals);
            } catch {
              return setError('Not an amount');
            }
            const permission = { ...first, spend: first.spend.map((s, i) => (i === 0 ? { ...s, limit: next } : s)) };
            void act('edit', {
              type: 'ui:editPolicy',
              keyId: k.keyId.toString(),
              accounts: k.accounts.filter((a) => a.permission).map((a) => a.address),
              permission,
            });
          }}
        >
          <label>
            {`New ${spendToken.symbol} limit (now ${formatUnits(firstSpend.limit, spendToken.decimals)})`}
            <input className="ml-1 w-20 rounded border p-0.5" value={limit} onChange={(e) => setLimit(e.target.value)} />
          </label>
          <button className="rounded border px-2" disabled={!!busy}>
            {busy === 'edit' ? 'Saving…' : 'Change limit'}
          </button>
        </form>
      )}
      {live && k.signers.length === 1 && (
        <form
          className="flex items-center gap-1 text-xs"
          onSubmit={(e) => {
            e.preventDefault();
            void act('rotate', { type: 'ui:rotateSigner', keyId: k.keyId.toString(), oldSigner: k.signers[0] ?? '', newSigner: signer.trim() });
          }}
        >
          <label>
            New signer address
            <input className="ml-1 w-40 rounded border p-0.5 font-mono" value={signer} onChange={(e) => setSigner(e.target.value)} />
          </label>
          <button className="rounded border px-2" disabled={!!busy}>
            {busy === 'rotate' ? 'Rotating…' : 'Rotate signer'}
          </button>
        </form>
      )}
      <button className="text-xs underline" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'Hide history' : 'Show history'}
      </button>
      {open && <KeyHistoryView send={send} keyView={k} refreshKey={refreshKey} />}
    </li>
  );
}
