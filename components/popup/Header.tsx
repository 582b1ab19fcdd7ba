import { useEffect, useState } from 'react';
import type { AccountView, ActiveNetwork } from '@/lib/protocol/views';
import { addressForPeople } from '@/lib/format/people';
import type { Call } from '../client';
import { CopyButton } from '@/components/ui/CopyButton';
import { Identicon } from '@/components/ui/Identicon';
import { Chip } from '@/components/ui/Chip';

/**
 * The popup's header, as wallets have it: the account (its picture, short address with copy, its
 * kind), the network as a pill, and the owner key that signs for it. The account is the owner's
 * first on the network (the one a site is offered first); the Accounts tab lists them all.
 */
export function Header({ send, owner, network }: { send: Call; owner: string; network?: ActiveNetwork }) {
  const [account, setAccount] = useState<AccountView | null | undefined>();
  useEffect(() => {
    if (!network) return setAccount(null);
    let live = true;
    void send({ type: 'ui:accounts' }).then((r) => live && setAccount(r.ok ? (r.accounts[0] ?? null) : null));
    return () => {
      live = false;
    };
  }, [send, network?.id]);
  const shown = account ?? undefined;
  const short = shown && addressForPeople(shown.address);
  return (
    <header aria-label="Account" className="flex items-center gap-3 rounded-card border border-line bg-surface p-3">
      {shown ? <Identicon address={shown.address} size={36} /> : <div aria-hidden="true" className="h-9 w-9 shrink-0 animate-pulse rounded-full bg-skeleton" />}
      <div className="min-w-0 flex-1">
        {account === undefined && <div aria-hidden="true" className="h-4 w-32 animate-pulse rounded bg-skeleton" />}
        {short && (
          <p className="flex items-center gap-1">
            <span data-testid="account-address" title={short.full} className="font-mono font-semibold">
              {short.short}
            </span>
            <CopyButton text={shown.address} label="Copy address" />
          </p>
        )}
        {account === null && <p className="font-semibold">Owner</p>}
        <p className="flex min-w-0 gap-1 text-xs text-muted" title={owner}>
          Owner
          <span data-testid="owner" className="min-w-0 truncate font-mono">
            {owner}
          </span>
        </p>
      </div>
      <div className="flex flex-col items-end gap-1">
        {network ? (
          <span
            data-testid="network"
            title={`Chain ${network.chainId}`}
            className="inline-flex items-center gap-1 rounded-full border border-line bg-raised px-2 py-0.5 text-xs"
          >
            <span aria-hidden="true" className={`h-2 w-2 rounded-full ${network.check && !network.check.ok ? 'bg-gauge-near' : 'bg-gauge-ok'}`} />
            {network.name}
          </span>
        ) : (
          <Chip state="expiring">No network</Chip>
        )}
        {shown && <Chip state="neutral">{shown.name}</Chip>}
      </div>
    </header>
  );
}
