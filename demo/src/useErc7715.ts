// The connected wallet's EIP-1193 provider as a viem client extended with the kit's ERC-7715
// actions, the way MetaMask documents it (`createClient(...).extend(erc7715ProviderActions())`).
import { erc7715ProviderActions } from '@metamask/smart-accounts-kit/actions';
import { useEffect, useState } from 'react';
import { createClient, custom, type EIP1193Provider } from 'viem';
import { useConnection } from 'wagmi';

function erc7715ClientOf(provider: EIP1193Provider) {
  return createClient({ transport: custom(provider) }).extend(erc7715ProviderActions());
}

export type Erc7715Client = ReturnType<typeof erc7715ClientOf>;

export function useErc7715Client(): Erc7715Client | undefined {
  const { connector } = useConnection();
  const [client, setClient] = useState<Erc7715Client>();
  useEffect(() => {
    let live = true;
    setClient(undefined);
    if (connector) {
      void connector.getProvider().then((p) => {
        if (live) setClient(erc7715ClientOf(p as EIP1193Provider));
      });
    }
    return () => {
      live = false;
    };
  }, [connector]);
  return client;
}

/** A wallet's error in one line, with its EIP-1193 code (4001: the user rejected). */
export function walletError(err: unknown): string {
  const e = err as { code?: number; shortMessage?: string; message?: string; cause?: { code?: number } };
  const code = e.code ?? e.cause?.code;
  return `${code !== undefined ? `${code}: ` : ''}${e.shortMessage ?? e.message ?? String(err)}`;
}
