// One line at the top of the popup when the background could not read some of what it stored
// (ui:overview's `unreadable`): what, and where the stored value was kept aside, so nothing is lost
// silently. The values themselves stay in storage (lib/background/store.ts); nothing is shown here.

import type { Unreadable } from '@/lib/protocol/views';

export type { Unreadable };

const NAMES: Record<string, string> = {
  grants: 'grants',
  approvals: 'requests',
  connections: 'connected sites',
  networks: 'networks',
  devnetNetwork: 'the devnet network',
  activeNetworkId: 'the selected network',
  importedAccounts: 'imported accounts',
  callBundles: 'sent call bundles',
  keyNames: 'key names',
};

export function describeUnreadable(u: Unreadable): string {
  const what = NAMES[u.key] ?? u.key;
  const items = u.items === undefined ? '' : `${u.items} record${u.items === 1 ? '' : 's'} of `;
  return `${items}${what} (kept aside as ${u.keptAs})`;
}

export function UnreadableBanner({ unreadable }: { unreadable?: Unreadable[] }) {
  if (!unreadable?.length) return null;
  return (
    <p role="status" aria-label="Unreadable storage" className="rounded border border-warn-line bg-warn-soft p-2 text-xs text-warn-text">
      Functor could not read: {unreadable.map(describeUnreadable).join('; ')}
    </p>
  );
}
