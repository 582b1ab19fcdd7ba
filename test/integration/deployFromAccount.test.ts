// Deploying Functor from the popup (issue 16, part 2): on a devnet chain with everything but
// Functor (chain 11155111, added as Sepolia), the network check names Functor missing; the owner's
// Kernel account deploys it in one operation through the CREATE2 factory, at the addresses it has on
// every chain; an account with no ETH is refused and nothing lands; asking again sends nothing; the
// check is then clean and a grant lands there.
import { createPublicClient, http, parseUnits, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { FUNCTOR_ADDRESSES } from '../../lib/abi/deployment.js';
import { createBackground } from '../../lib/background/index.js';
import { memoryStore } from '../../lib/background/store.js';
import { decodeContext } from '../../lib/erc7715/response.js';
import { grantState } from '../../lib/keystore/read.js';
import { fromJsonSafe } from '../../lib/protocol/jsonSafe.js';
import { RELAY_TARGET_BACKGROUND } from '../../lib/provider/messages.js';

let bare: Devnet;
beforeAll(async () => {
  bare = await startDevnet({ chainId: 11155111, functor: false });
});
afterAll(async () => bare?.stop());

const code = (address: Address) => createPublicClient({ transport: http(bare.config.rpcUrl) }).getCode({ address });

it("deploys Functor from the owner's account in one operation, then grants there", async () => {
  const opened: string[] = [];
  const bg = createBackground({ store: memoryStore(), openApproval: async (id) => void opened.push(id), emit: () => {}, kdfIterations: 100_000 });
  const ui = async <T>(m: Parameters<typeof bg.handleUi>[0]) => fromJsonSafe<T>(await bg.handleUi(m));
  expect(await ui({ type: 'wallet:import', secret: generatePrivateKey(), password: 'correct horse' })).toMatchObject({ ok: true });

  // The addresses in the devnet's config are where Functor would land; nothing is there yet.
  expect(bare.config.functor.keyStore).toBe(FUNCTOR_ADDRESSES.keyStore);
  expect(await code(FUNCTOR_ADDRESSES.keyStore)).toBeUndefined();
  const added = await ui<{ ok: true; network: { id: string }; check: { problems: string[]; functorMissing?: true } }>({
    type: 'ui:addNetwork',
    input: { known: 11155111, rpcUrl: bare.config.rpcUrl, bundlerUrl: bare.config.bundlerUrl },
  });
  expect(added.check.functorMissing).toBe(true);
  expect(added.check.problems).toContain(`Functor KeyStore is not deployed on this chain (no code at ${FUNCTOR_ADDRESSES.keyStore})`);
  await ui({ type: 'ui:selectNetwork', id: added.network.id });
  const kernel = (await ui<{ accounts: { kind: string; address: Address }[] }>({ type: 'ui:accounts' })).accounts[0]!;
  expect(kernel.kind).toBe('kernel');

  // No ETH in the account: refused in words, nothing sent, nothing deployed.
  expect(await ui({ type: 'ui:deployFunctor' })).toEqual({ ok: false, error: expect.stringMatching(/no ETH to pay for gas/) });
  expect(await code(FUNCTOR_ADDRESSES.keyStore)).toBeUndefined();

  const pub = createPublicClient({ transport: http(bare.config.rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [kernel.address, toHex(10n ** 18n)] as never });
  const sent = await ui<{ ok: true; userOpHash: Hex; account: { address: Address }; deploying: string[] }>({ type: 'ui:deployFunctor' });
  expect(sent, JSON.stringify(sent)).toMatchObject({
    ok: true,
    account: { address: kernel.address },
    deploying: ['KeyStore', 'FunctorPolicyConfig', 'FunctorPolicyGeneral', 'FunctorDeployer'],
  });
  const landed = await ui<{ ok: true; transactionHash: Hex; addresses: Record<string, Address> }>({
    type: 'ui:deployFunctorWait',
    userOpHash: sent.userOpHash,
  });
  expect(landed).toMatchObject({
    ok: true,
    addresses: { keyStore: FUNCTOR_ADDRESSES.keyStore, policyHook: FUNCTOR_ADDRESSES.policyHook, validator: FUNCTOR_ADDRESSES.validator },
  });
  // One operation: one UserOperationEvent from the Kernel account in that transaction.
  const receipt = await pub.getTransactionReceipt({ hash: landed.transactionHash });
  expect(receipt.status).toBe('success');
  for (const a of [FUNCTOR_ADDRESSES.keyStore, FUNCTOR_ADDRESSES.policyHook, FUNCTOR_ADDRESSES.validator]) expect((await code(a))?.length).toBeGreaterThan(2);
  console.log(`deploying Functor from a Kernel account (with the account's own deployment): ${receipt.gasUsed} gas`);

  // Asked again: nothing to send. The network check is clean.
  expect(await ui({ type: 'ui:deployFunctor' })).toEqual({ ok: true, already: true });
  const overview = await ui<{ active: { check: { ok: boolean; problems: string[]; functorMissing?: true } } }>({ type: 'ui:overview' });
  expect(overview.active.check.problems.filter((p) => /Functor/.test(p))).toEqual([]);
  expect(overview.active.check.functorMissing).toBeUndefined();

  // And it works: a grant lands there.
  const agent = privateKeyToAccount(generatePrivateKey());
  let n = 0;
  const request = (method: string, params?: unknown) =>
    bg.handleDapp({ target: RELAY_TARGET_BACKGROUND, id: `r${n++}`, method, params, origin: 'http://dapp.test' });
  const before = opened.length;
  const answer = request('wallet_requestExecutionPermissions', [
    {
      chainId: toHex(11155111),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: bare.config.tokens.usdc, periodAmount: toHex(parseUnits('5', 6)), periodDuration: 86_400 },
      },
    },
  ]);
  while (opened.length === before) await new Promise((r) => setTimeout(r, 5));
  await ui({ type: 'approval:decide', decision: { id: opened.at(-1)!, approve: true, accounts: [kernel.address] } });
  const ctx = decodeContext(((await answer) as { result: { context: Hex }[] }).result[0]!.context);
  expect(await grantState(pub as never, FUNCTOR_ADDRESSES.keyStore, ctx.keyId, kernel.address)).toBe('enabled');
});

it('a network that names Functor elsewhere is refused before anything is sent', async () => {
  const bg = createBackground({ store: memoryStore(), openApproval: async () => {}, emit: () => {}, kdfIterations: 100_000 });
  const ui = async <T>(m: Parameters<typeof bg.handleUi>[0]) => fromJsonSafe<T>(await bg.handleUi(m));
  await ui({ type: 'wallet:import', secret: generatePrivateKey(), password: 'correct horse' });
  // An addresses file naming another KeyStore (served by a stand-in fetch: the file is the user's).
  const elsewhere = privateKeyToAccount(generatePrivateKey()).address;
  const file = { ...bare.config, functor: { ...bare.config.functor, keyStore: elsewhere } };
  const bg2 = createBackground({
    store: memoryStore(),
    openApproval: async () => {},
    emit: () => {},
    kdfIterations: 100_000,
    fetch: (async (url: string | URL | Request, init?: RequestInit) =>
      String(url) === 'http://addresses.test/a.json' ? new Response(JSON.stringify(file)) : fetch(url, init)) as typeof fetch,
  });
  const ui2 = async <T>(m: Parameters<typeof bg2.handleUi>[0]) => fromJsonSafe<T>(await bg2.handleUi(m));
  await ui2({ type: 'wallet:import', secret: generatePrivateKey(), password: 'correct horse' });
  const added = await ui2<{ ok: boolean; network: { id: string } }>({
    type: 'ui:addNetwork',
    input: { name: 'Elsewhere', rpcUrl: bare.config.rpcUrl, bundlerUrl: bare.config.bundlerUrl, addressesUrl: 'http://addresses.test/a.json' },
  });
  expect(added.ok).toBe(true);
  await ui2({ type: 'ui:selectNetwork', id: added.network.id });
  expect(await ui2({ type: 'ui:deployFunctor' })).toEqual({
    ok: false,
    error: `Elsewhere names its KeyStore at ${elsewhere}; this release deploys it at ${FUNCTOR_ADDRESSES.keyStore}: change the network's addresses first`,
  });
});
