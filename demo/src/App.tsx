// Two pages, by hash: #/ (an agent's spending permission) and #/subscription.
import { useEffect, useState } from 'react';
import { useConnection } from 'wagmi';
import { Connect } from './Connect';
import type { DevnetLoad } from './devnet';
import { GrantedList } from './GrantedList';
import { GrantView } from './GrantView';
import { toJsonSafe } from './requests';
import { type Grants, type PageKind, RequestPermission } from './RequestPermission';
import { useErc7715Client } from './useErc7715';

declare global {
  interface Window {
    /** For tests: the last wallet_requestExecutionPermissions answer (bigints as 0x-hex). */
    __functorDemo?: { lastGrant?: unknown };
  }
}

function usePage(): PageKind {
  const read = (): PageKind => (window.location.hash === '#/subscription' ? 'subscription' : 'agent');
  const [page, setPage] = useState(read);
  useEffect(() => {
    const on = () => setPage(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}

export function App({ devnet }: { devnet: DevnetLoad }) {
  const page = usePage();
  const { status, chainId } = useConnection();
  const client = useErc7715Client();
  const [grants, setGrants] = useState<Grants>();
  const expected = devnet.config?.chainId ?? 31337;

  function granted(g: Grants) {
    setGrants(g);
    window.__functorDemo = { ...window.__functorDemo, lastGrant: toJsonSafe(g) };
  }

  const tab = (kind: PageKind, href: string, label: string) => (
    <a
      href={href}
      aria-current={page === kind ? 'page' : undefined}
      className={`rounded px-3 py-1 ${page === kind ? 'bg-indigo-600 text-white' : 'hover:bg-slate-200'}`}
    >
      {label}
    </a>
  );

  return (
    <main className="mx-auto max-w-3xl space-y-4 p-6">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">Functor demo dapp</h1>
        <nav aria-label="Pages" className="flex gap-1">
          {tab('agent', '#/', 'Agent permission')}
          {tab('subscription', '#/subscription', 'Subscription')}
        </nav>
      </header>
      <p className="text-sm text-slate-600">
        A dapp as any other: wagmi finds wallets through EIP-6963, and permissions are asked with ERC-7715 through MetaMask's smart-accounts-kit. Devnet:{' '}
        <span className="font-mono">{devnet.url}</span>
      </p>
      {devnet.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
          {devnet.error}
        </p>
      )}
      <Connect chainId={expected} />
      {status === 'connected' && (
        <>
          <RequestPermission key={page} kind={page} chainId={chainId ?? expected} usdc={devnet.config?.tokens.usdc} client={client} onGranted={granted} />
          {grants && <GrantView grants={grants} />}
          <GrantedList client={client} refreshKey={grants} />
        </>
      )}
    </main>
  );
}
