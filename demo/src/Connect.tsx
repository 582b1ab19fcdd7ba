// Wallets found through EIP-6963, one Connect button each (Functor's is named exactly "Connect"),
// then the account and chain, with a switch to the devnet when the wallet is elsewhere.
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from 'wagmi';
import { FUNCTOR_RDNS } from './wagmi';
import { BUTTON, BUTTON_SECONDARY, CARD } from './ui';
import { walletError } from './useErc7715';

export function Connect({ chainId }: { chainId: number }) {
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const { address, addresses, chainId: walletChain, connector, status } = useConnection();

  if (status === 'connected') {
    return (
      <section aria-label="Connection" className={CARD}>
        <p>
          Connected with <strong>{connector?.name}</strong>
        </p>
        <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-1 text-sm">
          <dt>Account</dt>
          <dd data-testid="account" className="font-mono break-all">
            {address}
          </dd>
          {addresses && addresses.length > 1 && (
            <>
              <dt>All accounts</dt>
              <dd className="font-mono text-xs break-all">{addresses.join(', ')}</dd>
            </>
          )}
          <dt>Chain</dt>
          <dd data-testid="chain">{walletChain}</dd>
        </dl>
        {walletChain !== chainId && (
          <p className="mt-2">
            The wallet is on chain {walletChain}; the demo uses the devnet (chain {chainId}).{' '}
            <button type="button" className={BUTTON} onClick={() => switchChain.mutate({ chainId })}>
              Switch to the devnet
            </button>
          </p>
        )}
        {switchChain.error && (
          <p role="alert" className="text-red-700">
            {walletError(switchChain.error)}
          </p>
        )}
        <button type="button" className={`${BUTTON_SECONDARY} mt-3`} onClick={() => disconnect.mutate({})}>
          Disconnect
        </button>
      </section>
    );
  }

  const found = [...connectors].sort((a, b) => Number(b.id === FUNCTOR_RDNS) - Number(a.id === FUNCTOR_RDNS));
  return (
    <section aria-label="Connection" className={CARD}>
      <h2 className="font-semibold">Connect a wallet</h2>
      {found.length === 0 && <p>No wallet announced itself (EIP-6963). Load the Functor extension and reload this page.</p>}
      <ul className="mt-2 flex flex-wrap gap-2">
        {found.map((c) => (
          <li key={c.uid}>
            <button type="button" className={BUTTON} disabled={connect.isPending} onClick={() => connect.mutate({ connector: c })}>
              {c.icon && <img src={c.icon} alt="" className="mr-2 inline h-5 w-5" />}
              {c.id === FUNCTOR_RDNS ? 'Connect' : `Connect with ${c.name}`}
            </button>
          </li>
        ))}
      </ul>
      {connect.error && (
        <p role="alert" className="mt-2 text-red-700">
          {walletError(connect.error)}
        </p>
      )}
    </section>
  );
}
