// The background's parts, wired once: wallet (vault and lock), state, networks, accounts,
// approvals, and a way to tell pages about events. dappRpc.ts and uiRpc.ts act on it.
import { parseDevnetConfig } from '../chain/devnetConfig.js';
import { networkFromDevnet, type WalletNetwork } from '../networks/networks.js';
import { ownerAccountOf } from '../vault/index.js';
import { createWalletService } from '../wallet/walletService.js';
import { publicClientFor } from '../accounts/clients.js';
import { chainFeePerGas } from '../permissions/gasDefaults.js';
import { createAccountCache, networkClients, type OwnerAccount } from './accounts.js';
import { createApprovals } from './approvals.js';
import { chainDisconnected, isWalletError } from '../protocol/errors.js';
import { createState } from './state.js';
import type { KeyValueStore } from './store.js';

export interface BackgroundDeps {
  store: KeyValueStore;
  /** Opens the approval window for request `id`. */
  openApproval: (id: string) => Promise<void>;
  /** Tells the pages of `origin` (or every page: '*') about an EIP-1193 event. */
  emit: (origin: string, event: 'accountsChanged' | 'chainChanged', data: unknown) => void;
  /** Where the local devnet publishes its JSON (devnet/main.ts serves it). */
  devnetConfigUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  autoLockMs?: number;
  kdfIterations?: number;
  /** The chain's maxFeePerGas now (default: viem's estimate from the network's RPC); tests fix it. */
  chainFeePerGas?: (net: WalletNetwork) => Promise<bigint>;
  /** The time of the chain's latest block, unix seconds (default: read from the network's RPC); tests fix it. */
  chainTime?: (net: WalletNetwork) => Promise<number>;
}

export function createContext(deps: BackgroundDeps) {
  /** The wallet's clock, in ms (tests fix it). */
  const now = deps.now ?? Date.now;
  const wallet = createWalletService({
    store: deps.store,
    autoLockMs: deps.autoLockMs,
    now: deps.now,
    ...(deps.kdfIterations && { kdf: { iterations: deps.kdfIterations } }),
  });
  const state = createState(deps.store);
  const approvals = createApprovals({ store: deps.store, openWindow: deps.openApproval, now: deps.now });
  const accountCache = createAccountCache();
  const fetchFn = deps.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  let devnetCache: { at: number; net?: WalletNetwork } | undefined;
  /** The devnet's network, fresh from its JSON (ports change between runs); the last seen otherwise. */
  async function devnetNetwork(): Promise<WalletNetwork | undefined> {
    if (!deps.devnetConfigUrl) return state.devnetNetwork.read();
    if (devnetCache && Date.now() - devnetCache.at < 3_000) return devnetCache.net;
    let net: WalletNetwork | undefined;
    try {
      const res = await fetchFn(deps.devnetConfigUrl, { signal: AbortSignal.timeout(2_000) });
      net = networkFromDevnet(parseDevnetConfig(await res.json()));
      const before = await state.devnetNetwork.read();
      if (JSON.stringify(before) !== JSON.stringify(net)) {
        await state.devnetNetwork.write(net);
        accountCache.clear();
      }
    } catch {
      net = await state.devnetNetwork.read();
    }
    devnetCache = { at: Date.now(), net };
    return net;
  }

  async function networks(): Promise<WalletNetwork[]> {
    const dev = await devnetNetwork();
    return [...(dev ? [dev] : []), ...(await state.userNetworks.read())];
  }

  async function activeNetwork(): Promise<WalletNetwork> {
    const all = await networks();
    const id = await state.activeNetworkId.read();
    const net = all.find((n) => n.id === id) ?? all[0];
    if (!net) throw chainDisconnected('The wallet has no network: start the local devnet (npm start) or add a network in the popup');
    return net;
  }

  /** The owner's signer; only callers that checked the wallet is unlocked get here. */
  function owner() {
    return ownerAccountOf(wallet.secret());
  }

  async function isUnlocked() {
    return !(await wallet.status()).locked;
  }

  async function ownerAccounts(net: WalletNetwork): Promise<OwnerAccount[]> {
    const imported = (await state.imported.read())[net.id] ?? [];
    try {
      return await accountCache.of(net, owner(), imported);
    } catch (e) {
      if (isWalletError(e)) throw e;
      throw chainDisconnected(`The network does not answer (chain ${net.rpcUrl}): ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }

  const client = (net: WalletNetwork) => publicClientFor(networkClients(net));

  /**
   * What a permission request is translated with: the chain's maxFeePerGas (its default gas caps,
   * permissions/gasDefaults.ts) and the time in unix seconds (its periods' default start): the
   * wallet's clock, but never past the chain's latest block. A bundler simulates an op at that
   * block, so a start in the chain's future (a clock running fast, or a block some seconds old)
   * would refuse the agent's first spends (PeriodNotStarted) until the chain caught up.
   */
  async function requestBasis(net: WalletNetwork): Promise<{ chainFeePerGas: bigint; now: number }> {
    const clock = Math.floor(now() / 1000);
    try {
      const [fee, chainTime] = await Promise.all([
        (deps.chainFeePerGas ?? ((n: WalletNetwork) => chainFeePerGas(client(n))))(net),
        (deps.chainTime ?? (async (n: WalletNetwork) => Number((await client(n).getBlock({ blockTag: 'latest' })).timestamp)))(net),
      ]);
      return { chainFeePerGas: fee, now: Math.min(clock, chainTime) };
    } catch (e) {
      throw chainDisconnected(`The network does not answer (chain ${net.rpcUrl}): ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }

  return {
    deps,
    wallet,
    state,
    approvals,
    networks,
    activeNetwork,
    devnetNetwork,
    owner,
    isUnlocked,
    ownerAccounts,
    client,
    requestBasis,
    fetchFn,
    now,
  };
}
export type BackgroundContext = ReturnType<typeof createContext>;
