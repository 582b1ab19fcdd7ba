// Test fixtures for lib/background: a background on an in-memory store, with a devnet JSON served
// by a fake fetch (addresses real-looking, URLs that answer nothing: no chain is needed to test
// parsing, origins and approvals).
import { memoryStore } from './store.js';
import { createBackground } from './index.js';
import { RELAY_TARGET_BACKGROUND } from '../provider/messages.js';

const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

export const fakeDevnetJson = {
  version: 1,
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:1',
  bundlerUrl: 'http://127.0.0.1:2',
  ports: { anvil: 1, bundler: 2 },
  entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
  functor: { keyStore: A(1), deployer: A(2), policyHook: A(3), validator: A(4) },
  tokens: { usdc: A(5), dai: A(6) },
  kernel: { implementation: A(8), factory: A(9), ownerValidator: A(7) },
  nexus: { implementation: A(10), factory: A(11), bootstrap: A(12), ownerValidator: A(29) },
  safe: {
    singleton: A(13),
    singletonL2: A(14),
    proxyFactory: A(15),
    multiSend: A(16),
    multiSendCallOnly: A(17),
    fallbackHandler: A(18),
    safe4337Module: A(19),
    moduleSetup: A(20),
    safe7579: A(21),
    launchpad: A(22),
    registry: A(23),
  },
  owners: [],
  bundler: { executor: A(24), utility: A(25) },
  delegationFramework: {
    DelegationManager: A(26),
    EntryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    SimpleFactory: A(27),
    implementations: { HybridDeleGatorImpl: A(28) },
    caveatEnforcers: {},
  },
};

/** The fee the tests' chain quotes (no chain in unit tests): 2 gwei. */
export const TEST_CHAIN_FEE = 2_000_000_000n;

export function testBackground(opts: { devnet?: boolean; store?: ReturnType<typeof memoryStore> } = {}) {
  const store = opts.store ?? memoryStore();
  const opened: string[] = [];
  const events: { origin: string; event: string; data: unknown }[] = [];
  const bg = createBackground({
    store,
    openApproval: async (id) => void opened.push(id),
    emit: (origin, event, data) => void events.push({ origin, event, data }),
    devnetConfigUrl: 'http://devnet.test/devnet.json',
    fetch: (async (url: string) => {
      if (opts.devnet !== false && url === 'http://devnet.test/devnet.json') return new Response(JSON.stringify(fakeDevnetJson));
      throw new TypeError('fetch failed');
    }) as typeof fetch,
    kdfIterations: 100_000,
    chainFeePerGas: async () => TEST_CHAIN_FEE,
    chainTime: async () => Math.floor(Date.now() / 1000),
  });
  let n = 0;
  const request = (origin: string, method: unknown, params?: unknown, extra: Record<string, unknown> = {}) =>
    bg.handleDapp({ target: RELAY_TARGET_BACKGROUND, id: `r${n++}`, method, params, origin, ...extra });
  return { bg, store, opened, events, request };
}

/** Lets queued promises run (approvals are persisted before the window opens). */
export const tick = () => new Promise((r) => setTimeout(r, 10));
