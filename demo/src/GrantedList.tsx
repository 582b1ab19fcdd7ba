// What this site holds (wallet_getGrantedExecutionPermissions, through the kit), each with a
// Revoke button. The kit has no revoke action: wallet_revokeExecutionPermission is a plain request
// with `{ permissionContext }`, as MetaMask's own dapps send it.
import { useCallback, useEffect, useState } from 'react';
import { formatUnits } from 'viem';
import { decodeContext } from '../../lib/erc7715/response.js';
import type { Grants } from './RequestPermission';
import { DAY, USDC_DECIMALS } from './requests';
import { BUTTON_SECONDARY, CARD } from './ui';
import { type Erc7715Client, walletError } from './useErc7715';

function describe(g: Grants[number]): string {
  const d = g.permission.data as { periodAmount?: bigint; periodDuration?: number; tokenAddress?: string };
  const expiry = g.rules?.find((r) => r.type === 'expiry')?.data as { timestamp?: number } | undefined;
  const amount =
    d.periodAmount !== undefined
      ? `${formatUnits(d.periodAmount, USDC_DECIMALS)} per ${d.periodDuration === DAY ? 'day' : `${(d.periodDuration ?? 0) / DAY} days`}`
      : '';
  const until = expiry?.timestamp ? `, until ${new Date(expiry.timestamp * 1000).toLocaleString()}` : '';
  return `${g.permission.type} ${amount}${until}`.trim();
}

export function GrantedList({ client, refreshKey }: { client?: Erc7715Client; refreshKey: unknown }) {
  const [grants, setGrants] = useState<Grants>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();

  const refresh = useCallback(async () => {
    if (!client) return;
    try {
      setGrants(await client.getGrantedExecutionPermissions());
      setError(undefined);
    } catch (err) {
      setError(walletError(err));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);

  async function revoke(permissionContext: `0x${string}`) {
    if (!client) return;
    setNote(undefined);
    try {
      await client.request({ method: 'wallet_revokeExecutionPermission', params: { permissionContext } } as never);
      setNote('Revoked: the agent is refused from now on, on every account the key was enabled on.');
      await refresh();
    } catch (err) {
      setError(walletError(err));
    }
  }

  return (
    <section aria-labelledby="granted-heading" className={CARD}>
      <div className="flex items-center justify-between">
        <h2 id="granted-heading" className="text-lg font-semibold">
          Granted permissions
        </h2>
        <button type="button" className={BUTTON_SECONDARY} onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {grants && grants.length === 0 && <p className="mt-2 text-sm">None yet.</p>}
      <ul className="mt-2 space-y-2" aria-label="Granted permissions">
        {grants?.map((g) => {
          let who = '';
          try {
            const c = decodeContext(g.context);
            who = `${c.kind} ${c.account}, key 0x${c.keyId.toString(16)}`;
          } catch {
            who = g.from ?? '';
          }
          return (
            <li
              key={g.context + (g.from ?? '')}
              aria-label={describe(g)}
              className="flex items-center justify-between gap-2 rounded border border-slate-200 p-2 text-sm"
            >
              <span>
                <strong>{describe(g)}</strong>
                <span className="block font-mono text-xs text-slate-500 break-all">{who}</span>
              </span>
              <button type="button" className={BUTTON_SECONDARY} onClick={() => void revoke(g.context)}>
                Revoke
              </button>
            </li>
          );
        })}
      </ul>
      {note && (
        <p role="status" className="mt-2 text-sm">
          {note}
        </p>
      )}
      {error && (
        <p role="alert" className="mt-2 text-red-700">
          {error}
        </p>
      )}
    </section>
  );
}
