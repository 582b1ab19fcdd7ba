import { useCallback, useEffect, useRef, useState } from 'react';
import { parseUnits } from 'viem';
import type { ApprovalView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { Unlock } from '@/components/Unlock';
import { AccountPicker } from './AccountPicker';
import { PermissionMore, PermissionSummary } from './PermissionDetails';
import { connectSentence, permissionSentence } from './sentence';
import { Stepper } from './Stepper';
import { Button } from '@/components/ui/Button';
import { Chip } from '@/components/ui/Chip';
import { IconGlobe } from '@/components/ui/icons';
import { Notice } from '@/components/ui/Notice';
import { Skeleton } from '@/components/ui/Skeleton';

const TITLES: Record<string, string> = {
  connect: 'wants to connect',
  permissions: 'asks for a permission for an agent',
  sendCalls: 'asks you to send a transaction',
  revoke: 'asks to revoke a permission',
};

/**
 * Calls `onChange` whenever what the window shows may have changed (the approval's progress, the
 * wallet's lock, networks, accounts); returns how to stop. The window reads its view then, not on
 * a timer; the background reads the accounts from the chain once per open and after an unlock
 * (approvalView.ts), so a burst of progress lines costs no chain reads.
 */
export type WatchChanges = (onChange: () => void) => () => void;

/** While the view cannot be read (the wallet or the chain not answering yet), it is read again this often. */
export const RETRY_MS = 700;

/** One window per request: loads it by id (it lives in the background's storage), shows it, answers. */
export function ApprovalApp({ id, send, close, watch }: { id: string; send: Call; close: () => void; watch: WatchChanges }) {
  const [view, setView] = useState<ApprovalView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string[] | undefined>();
  /** Accounts chosen on the wallet's other networks (the same key there too), by network id: none unless ticked. */
  const [alsoChosen, setAlsoChosen] = useState<Record<string, string[]>>({});
  const [amounts, setAmounts] = useState<Record<number, string[]>>({});
  /**
   * The existing key to renew (undefined: a new key). Offered unchecked: renewing cuts the old
   * session key, which must be the user's choice (the site may be asking for a second agent).
   */
  const [renew, setRenew] = useState<string | undefined>(undefined);

  /** Reads in a row that failed (the wallet or the chain not answering): each one asks for another. */
  const [failedReads, setFailedReads] = useState(0);

  /** The latest read: changes come in bursts (each progress line), and reads end out of order. */
  const lastRead = useRef(0);

  const load = useCallback(async () => {
    const read = ++lastRead.current;
    const r = await send({ type: 'approval:get', id });
    // A read that ended after a later one began saw older state: the later one's answer stands.
    if (read !== lastRead.current) return;
    setFailedReads((n) => (r.ok && !r.view.problem ? 0 : n + 1));
    if (!r.ok) return setError(r.error);
    const v = r.view;
    setView(v);
    if (v.accounts) {
      const from = v.permissions?.[0]?.from;
      const first = v.accounts.find((a) => a.address === from && !a.otherHook) ?? v.accounts.find((a) => !a.otherHook);
      // Only the first time: after that, the accounts are the user's choice. (Read as the update's
      // argument, so that a choice does not make a new `load`, and a new read.)
      setChosen((c) => c ?? (first ? [first.address] : []));
    }
  }, [id, send]);

  useEffect(() => {
    void load();
    return watch(() => void load());
  }, [load, watch]);

  useEffect(() => {
    if (!failedReads) return;
    const t = setTimeout(() => void load(), RETRY_MS);
    return () => clearTimeout(t);
  }, [failedReads, load]);

  if (error && !view)
    return (
      <Shell>
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      </Shell>
    );
  if (!view)
    return (
      <Shell>
        <Skeleton label="Loading the request" />
      </Shell>
    );
  const a = view.approval;

  const decide = async (approve: boolean) => {
    setError(undefined);
    let limits: string[][] | undefined;
    try {
      limits = view.permissions?.map((p, i) =>
        p.spends.map((s) => {
          const typed = amounts[i]?.[s.index];
          return typed === undefined ? s.limit : parseUnits(typed.trim(), s.decimals).toString();
        }),
      );
    } catch {
      return setError('An amount is not a number');
    }
    const replaceKey = renew;
    const also = replaceKey
      ? []
      : Object.entries(alsoChosen)
          .filter(([, accounts]) => accounts.length > 0)
          .map(([networkId, accounts]) => ({ networkId, accounts }));
    const r = await send({
      type: 'approval:decide',
      decision: {
        id,
        approve,
        ...(approve && { accounts: chosen ?? [], ...(limits && { limits }), ...(replaceKey && { replaceKey }), ...(also.length && { also }) }),
      },
    });
    // Refused (the wallet locked itself meanwhile, the request answered elsewhere): read the view
    // again, so the window shows why (the Unlock form, the request's end).
    if (!r.ok) {
      setError(r.error);
      return void load();
    }
    if (!approve) close();
    else void load();
  };

  const chosenNames = (view.accounts ?? []).filter((c) => chosen?.includes(c.address)).map((c) => c.name);
  const nowS = Math.floor(Date.now() / 1000);
  const steps = a.steps;

  return (
    <Shell>
      <header className="flex items-start gap-3 rounded-card border border-line bg-surface p-3">
        <IconGlobe aria-hidden="true" size={28} className="mt-0.5 shrink-0 text-muted" />
        <div className="min-w-0 flex-1 space-y-1">
          <h1 className="text-base font-semibold">
            <span data-testid="origin" className="font-mono break-all">
              {a.origin}
            </span>{' '}
            {TITLES[a.kind]}
          </h1>
          <p className="flex flex-wrap items-center gap-1">
            {view.firstTime && <Chip state="expiring">First time you see this site</Chip>}
            {view.network && (
              <span
                title={`Chain ${view.network.chainId}`}
                className="inline-flex items-center gap-1 rounded-full border border-line bg-raised px-2 py-0.5 text-xs"
              >
                <span aria-hidden="true" className="h-2 w-2 rounded-full bg-gauge-ok" />
                Network: {view.network.name} (chain {view.network.chainId})
              </span>
            )}
          </p>
        </div>
      </header>
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      {view.problem && (
        <Notice tone="danger" role="alert">
          {view.problem}
        </Notice>
      )}
      {view.locked && a.state === 'open' && (
        <div className="space-y-2">
          <p>The wallet is locked: unlock it to see and answer this request.</p>
          <Unlock
            onUnlock={async (password) => {
              const r = await send({ type: 'wallet:unlock', password });
              if (!r.ok) setError(r.error);
              else {
                setError(undefined);
                await load();
              }
            }}
          />
        </div>
      )}
      {!view.locked && a.state === 'open' && (
        <>
          {a.kind === 'connect' && (
            <p data-testid="sentence" className="text-base leading-snug font-semibold">
              {connectSentence({ origin: a.origin, accounts: chosenNames })}
            </p>
          )}
          {view.permissions?.map((p, i) => (
            <PermissionSummary
              key={i}
              p={p}
              sentence={permissionSentence({ origin: a.origin, permission: p, accounts: chosenNames, nowS })}
              amounts={amounts[i] ?? []}
              onAmount={(j, v) => setAmounts((s) => ({ ...s, [i]: Object.assign([...(s[i] ?? [])], { [j]: v }) }))}
            />
          ))}
          {view.calls && (
            <ul aria-label="Calls" className="space-y-1">
              {view.calls.map((c, i) => (
                <li key={i} className="rounded-card border border-line bg-surface p-2 font-mono text-xs break-all">
                  to {c.to} · {c.value} ETH · data {c.data.length > 66 ? `${c.data.slice(0, 66)}…` : c.data}
                </li>
              ))}
            </ul>
          )}
          {view.renewable && view.renewable.length > 0 && (
            <label className="flex items-start gap-2 rounded-card border border-info-line bg-info-soft p-2 text-info-text">
              <input type="checkbox" checked={renew !== undefined} onChange={(e) => setRenew(e.target.checked ? view.renewable![0]!.keyId : undefined)} />
              <span>
                Renew this site's existing key (on {view.renewable[0]!.accounts.join(', ')}) with the new session key: its counters carry over, the old session
                key stops working.
              </span>
            </label>
          )}
          {view.accounts && (a.kind === 'connect' || (a.kind === 'permissions' && renew === undefined)) && (
            <AccountPicker
              legend={a.kind === 'connect' ? 'Accounts the site may see' : `Grant on ${view.network?.name ?? 'this network'}`}
              accounts={view.accounts}
              chosen={chosen ?? []}
              onChange={setChosen}
            />
          )}
          {a.kind === 'permissions' && renew === undefined && view.otherNetworks && (
            <OtherNetworks
              networks={view.otherNetworks}
              chosen={alsoChosen}
              onChange={(networkId, accounts) => setAlsoChosen((s) => ({ ...s, [networkId]: accounts }))}
            />
          )}
          {view.permissions?.map((p, i) => (
            <PermissionMore key={i} p={p} />
          ))}
          <div className="sticky bottom-0 flex gap-2 border-t border-line bg-page py-3">
            <Button className="flex-1" onClick={() => void decide(false)}>
              Reject
            </Button>
            <Button
              variant="primary"
              className="flex-1"
              disabled={(a.kind === 'connect' || a.kind === 'permissions') && !chosen?.length}
              onClick={() => void decide(true)}
            >
              Approve
            </Button>
          </div>
        </>
      )}
      {a.state !== 'open' && (
        <div className="space-y-3">
          {steps && steps.length > 0 && <Stepper steps={steps} running={a.state === 'running'} />}
          <div role="status" aria-label="Progress">
            <ol className="list-decimal pl-5 text-xs text-muted">
              {a.progress.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ol>
          </div>
          {a.state === 'running' && <Notice tone="info">Working… keep this window open.</Notice>}
          {a.state === 'done' && (
            <Notice tone="ok" className="font-medium">
              Done.
            </Notice>
          )}
          {a.state === 'rejected' && <p>Rejected.</p>}
          {a.state === 'failed' && (
            <Notice tone="danger" role="alert">
              Failed: {a.error}
            </Notice>
          )}
          {a.state !== 'running' && <Button onClick={close}>Close</Button>}
        </div>
      )}
    </Shell>
  );
}

/** The same key on the wallet's other networks: per network, its accounts to tick, or why it cannot be. */
function OtherNetworks(props: {
  networks: NonNullable<ApprovalView['otherNetworks']>;
  chosen: Record<string, string[]>;
  onChange: (networkId: string, accounts: string[]) => void;
}) {
  return (
    <section aria-label="Other networks" className="space-y-1">
      <p className="text-xs text-muted">The same key on other networks too (one operation per network, sent together):</p>
      {props.networks.map((n) =>
        n.accounts ? (
          <AccountPicker
            key={n.id}
            legend={`Also on ${n.name} (chain ${n.chainId})`}
            accounts={n.accounts}
            chosen={props.chosen[n.id] ?? []}
            onChange={(c) => props.onChange(n.id, c)}
          />
        ) : (
          <p key={n.id} className="rounded-card border border-line p-2 text-xs text-muted">
            Not on {n.name} (chain {n.chainId}): {n.problem}
          </p>
        ),
      )}
    </section>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return <main className="mx-auto max-w-xl space-y-3 bg-page p-4 font-sans text-sm text-fg">{children}</main>;
}
