import { useEffect, useRef, useState } from 'react';
import { formatUnits, parseUnits } from 'viem';
import type { UiMessageOf } from '@/lib/protocol/ui';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { When } from '@/components/format/When';
import { UsageBar } from '@/components/usage/UsageBar';
import { KeyHistoryView } from './KeyHistoryView';
import { Button } from '@/components/ui/Button';
import { Chip } from '@/components/ui/Chip';
import { Notice } from '@/components/ui/Notice';
import { INPUT_CLASS } from '@/components/ui/Field';

/** A key that ends within this long is shown "Expiring" (the same day as the expiry alert). */
export const EXPIRING_WITHIN_S = 86_400;

/** What a key's buttons send: each answers `{ ok }` or an error. */
type KeyAction = UiMessageOf<'ui:renameKey' | 'ui:disableKey' | 'ui:revokeKey' | 'ui:editPolicy' | 'ui:rotateSigner'>;

/**
 * One key: where it is enabled, its signers, expiry, policies in words and usage bars; Revoke (one
 * transaction, every account), Disable on one account, edit a limit, rotate the signer, history.
 */
export function KeyCard({
  send,
  k,
  onChanged,
  refreshKey,
  focused = false,
}: {
  send: Call;
  k: KeyView;
  onChanged: () => void;
  refreshKey: number;
  /** An alert opened the popup on this key: it is scrolled to and marked. */
  focused?: boolean;
}) {
  const self = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) self.current?.scrollIntoView({ block: 'start' });
  }, [focused]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState('');
  const [signer, setSigner] = useState('');
  const [renaming, setRenaming] = useState<string | undefined>();
  /** Revoke's progress per chain (network id → waiting, revoked, or the chain's error). */
  const [revoking, setRevoking] = useState<Record<string, { state: 'waiting' } | { state: 'revoked' } | { state: 'failed'; error: string }>>({});
  const live = !k.revoked;
  const multi = k.chains.length > 1;
  const chainName = (networkId: string) => k.chains.find((c) => c.networkId === networkId)?.name ?? networkId;

  /** One revocation per chain where the key is live, sent together; each chain's answer shown as it comes. */
  const revokeEverywhere = async () => {
    const targets = k.chains.filter((c) => !c.revoked && revoking[c.networkId]?.state !== 'revoked');
    setBusy('revoke');
    setError(undefined);
    setRevoking((r) => ({ ...r, ...Object.fromEntries(targets.map((c) => [c.networkId, { state: 'waiting' as const }])) }));
    await Promise.all(
      targets.map(async (c) => {
        const r = await send({ type: 'ui:revokeKey', keyId: c.keyId.toString(), networkId: c.networkId });
        setRevoking((s) => ({ ...s, [c.networkId]: r.ok ? { state: 'revoked' } : { state: 'failed', error: r.error } }));
        return r.ok;
      }),
    ).then((oks) => {
      if (oks.every(Boolean)) setConfirming(false);
    });
    setBusy(undefined);
    onChanged();
  };
  const stillLive = Object.entries(revoking).filter(([, r]) => r.state === 'failed');

  const act = async (label: string, message: KeyAction) => {
    setBusy(label);
    setError(undefined);
    const r = await send(message);
    setBusy(undefined);
    if (!r.ok) setError(r.error);
    onChanged();
    return r.ok;
  };

  const first = k.accounts.find((a) => a.permission)?.permission;
  const firstSpend = first?.spend[0];
  const spendToken = firstSpend && k.tokens[firstSpend.token === 'native' ? 'native' : firstSpend.token.toLowerCase()];

  return (
    <li
      ref={self}
      aria-label={`Key ${k.name}`}
      aria-current={focused || undefined}
      className={`space-y-2 rounded-card border border-line bg-raised p-3 ${focused ? 'ring-2 ring-gauge-near' : ''}`}
    >
      <div className="flex items-center justify-between">
        {renaming === undefined ? (
          <p className="font-medium">
            {k.name}{' '}
            <Button variant="ghost" size="sm" onClick={() => setRenaming(k.name)}>
              Rename
            </Button>
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
              <input className={INPUT_CLASS} value={renaming} onChange={(e) => setRenaming(e.target.value)} />
            </label>
            <Button type="submit" size="sm">
              Save name
            </Button>
          </form>
        )}
        <KeyState k={k} />
      </div>
      <p className="text-xs text-muted">
        Enabled on {k.accounts.map((a) => (multi ? `${a.name} (${a.chain})` : a.name)).join(', ') || 'no account'} · signer{k.signers.length === 1 ? '' : 's'}{' '}
        <span className="font-mono">{k.signers.map((s) => `0x${s.slice(-40, -32)}…`).join(', ')}</span> ·{' '}
        {k.expiry !== undefined ? (
          <>
            expires <When at={k.expiry} />
          </>
        ) : (
          'no expiry'
        )}
      </p>
      {multi && (
        <p className="text-xs text-muted">
          On {k.chains.length} chains:{' '}
          {k.chains.map((c, i) => (
            <span key={c.networkId}>
              {i > 0 && ', '}
              {c.name} ({c.revoked ? 'ended' : 'live'})
            </span>
          ))}
        </p>
      )}
      {k.accounts.map((a) => (
        <div key={`${a.networkId}-${a.address}`} aria-label={multi ? `On ${a.name} (${a.chain})` : `On ${a.name}`} className="space-y-1 rounded bg-surface p-2">
          <p className="text-xs font-medium">
            {a.name} <span className="font-mono">{a.address.slice(0, 10)}…</span>
            {multi && <span className="ml-1 rounded bg-surface px-1">{a.chain}</span>}
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
            <Button
              size="sm"
              disabled={!!busy}
              onClick={() => void act(`disable-${a.address}`, { type: 'ui:disableKey', keyId: a.keyId.toString(), networkId: a.networkId, account: a.address })}
            >
              {busy === `disable-${a.address}` ? 'Disabling…' : `Disable on ${a.name}`}
            </Button>
          )}
        </div>
      ))}
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      {live && !confirming && (
        <Button variant="danger" disabled={!!busy} onClick={() => setConfirming(true)}>
          Revoke
        </Button>
      )}
      {live && confirming && (
        <div role="alertdialog" aria-label="Confirm revoke" className="space-y-2 rounded-card border border-danger-line bg-danger-soft p-3 text-danger-text">
          <p>
            Revoke {k.name}? In {multi ? `one transaction per chain (${k.chains.filter((c) => !c.revoked).length}, sent together)` : 'one transaction'}, it
            stops working on:
          </p>
          <ul className="list-disc pl-5 text-xs">
            {k.accounts.map((a) => (
              <li key={`${a.networkId}-${a.address}`}>
                {a.name} <span className="font-mono">{a.address}</span>
                {multi && ` on ${a.chain}`}
              </li>
            ))}
          </ul>
          {Object.keys(revoking).length > 0 && (
            <div role="status" aria-label="Revoke progress">
              <ul className="text-xs">
                {Object.entries(revoking).map(([networkId, r]) => (
                  <li key={networkId}>
                    {chainName(networkId)}:{' '}
                    {r.state === 'waiting' ? 'waiting for the transaction…' : r.state === 'revoked' ? 'ended' : `still live (${r.error})`}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {stillLive.length > 0 && !busy && (
            <p role="alert" className="text-xs text-danger-text">
              The key is still live on {stillLive.map(([id]) => chainName(id)).join(', ')}. Retry to revoke it there.
            </p>
          )}
          <div className="flex gap-2">
            <Button variant="danger" disabled={!!busy} onClick={() => void revokeEverywhere()}>
              {busy === 'revoke' ? 'Revoking… waiting for the transaction' : stillLive.length ? 'Retry' : 'Revoke everywhere'}
            </Button>
            <Button
              disabled={!!busy}
              onClick={() => {
                setConfirming(false);
                setRevoking({});
              }}
            >
              Cancel
            </Button>
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
            // One change per chain the key is on (its keyId there), in turn.
            void (async () => {
              for (const c of k.chains.filter((c) => !c.revoked)) {
                const accounts = k.accounts.filter((a) => a.permission && a.networkId === c.networkId).map((a) => a.address);
                if (accounts.length && !(await act('edit', { type: 'ui:editPolicy', keyId: c.keyId.toString(), networkId: c.networkId, accounts, permission })))
                  return;
              }
            })();
          }}
        >
          <label>
            {`New ${spendToken.symbol} limit (now ${formatUnits(firstSpend.limit, spendToken.decimals)})`}
            <input className={`ml-1 w-20 ${INPUT_CLASS}`} value={limit} onChange={(e) => setLimit(e.target.value)} />
          </label>
          <Button type="submit" size="sm" disabled={!!busy}>
            {busy === 'edit' ? 'Saving…' : 'Change limit'}
          </Button>
        </form>
      )}
      {live && k.signers.length === 1 && (
        <form
          className="flex items-center gap-1 text-xs"
          onSubmit={(e) => {
            e.preventDefault();
            // The agent signs on every chain with one key: rotated on each chain the key is live on.
            void (async () => {
              for (const c of k.chains.filter((c) => !c.revoked))
                if (
                  !(await act('rotate', {
                    type: 'ui:rotateSigner',
                    keyId: c.keyId.toString(),
                    networkId: c.networkId,
                    oldSigner: k.signers[0] ?? '',
                    newSigner: signer.trim(),
                  }))
                )
                  return;
            })();
          }}
        >
          <label>
            New signer address
            <input className={`ml-1 w-40 font-mono ${INPUT_CLASS}`} value={signer} onChange={(e) => setSigner(e.target.value)} />
          </label>
          <Button type="submit" size="sm" disabled={!!busy}>
            {busy === 'rotate' ? 'Rotating…' : 'Rotate signer'}
          </Button>
        </form>
      )}
      <Button variant="ghost" size="sm" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'Hide history' : 'Show history'}
      </Button>
      {open && <KeyHistoryView send={send} keyView={k} refreshKey={refreshKey} />}
    </li>
  );
}

/** Revoked, expired, expiring within a day, or active: the chip at the card's corner. */
export function keyState(k: Pick<KeyView, 'revoked' | 'expiry'>, now = Math.floor(Date.now() / 1000)): 'revoked' | 'expired' | 'expiring' | 'active' {
  if (k.revoked) return 'revoked';
  if (k.expiry !== undefined && k.expiry <= now) return 'expired';
  if (k.expiry !== undefined && k.expiry - now <= EXPIRING_WITHIN_S) return 'expiring';
  return 'active';
}

function KeyState({ k }: { k: KeyView }) {
  const state = keyState(k);
  if (state === 'revoked') return <Chip state="revoked">Revoked</Chip>;
  if (state === 'expired') return <Chip state="revoked">Expired</Chip>;
  if (state === 'expiring') return <Chip state="expiring">Expiring</Chip>;
  return <Chip state="active">Active</Chip>;
}
