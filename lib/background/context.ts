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
}

export function createContext(deps: BackgroundDeps) {
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

  /** What the default gas caps of a permission request derive from (permissions/gasDefaults.ts). */
  async function feePerGas(net: WalletNetwork): Promise<bigint> {
    try {
      return await (deps.chainFeePerGas ?? ((n: WalletNetwork) => chainFeePerGas(client(n))))(net);
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
    feePerGas,
    fetchFn,
    now: deps.now ?? Date.now,
  };
}
export type BackgroundContext = ReturnType<typeof createContext>;
