// The extension's background logic (lib/background) against the real devnet: what a dapp gets
// through the provider, and what lands onchain, when the user answers the approval windows.
// Storage is in memory and windows are recorded; everything else is the real thing.
import { createPublicClient, createWalletClient, encodeFunctionData, erc20Abi, getAddress, type Hex, http, parseUnits, toHex, type Address } from 'viem';
import { entryPoint07Abi } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { devTokenAbi, functorPolicyHookAbi } from '../../lib/abi/generated.js';
import { devnetChain, publicClientFor, smartAccountClientFor } from '../../lib/accounts/clients.js';
import { toOwnerAccount } from '../../lib/accounts/toOwnerAccount.js';
import { sendCalls } from '../../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { createBackground } from '../../lib/background/index.js';
import { memoryStore } from '../../lib/background/store.js';
import { decodeContext, sessionContextOf } from '../../lib/erc7715/response.js';
import { grantState, readKey } from '../../lib/keystore/read.js';
import { fromPolicies } from '../../lib/permissions/codec.js';
import { RELAY_TARGET_BACKGROUND } from '../../lib/provider/messages.js';

const DAPP = 'http://dapp.test';
const DAY = 86_400;
let devnet: Devnet;

function background(configOverride: Record<string, unknown> = {}, clock?: () => number) {
  const opened: string[] = [];
  const events: { origin: string; event: string; data: unknown }[] = [];
  const bg = createBackground({
    ...(clock && { now: clock }),
    store: memoryStore(),
    openApproval: async (id) => void opened.push(id),
    emit: (origin, event, data) => void events.push({ origin, event, data }),
    devnetConfigUrl: 'http://devnet.test/devnet.json',
    fetch: (async (url: string | URL | Request, init?: RequestInit) =>
      String(url) === 'http://devnet.test/devnet.json'
        ? new Response(JSON.stringify({ ...devnet.config, ...configOverride }))
        : fetch(url, init)) as typeof fetch,
    kdfIterations: 100_000,
  });
  let n = 0;
  const request = (method: string, params?: unknown, origin = DAPP) =>
    bg.handleDapp({ target: RELAY_TARGET_BACKGROUND, id: `r${n++}`, method, params, origin });
  /** Sends a request that opens a window, answers it, and returns the dapp's answer. */
  async function approved(method: string, params: unknown, decision: Record<string, unknown> = {}, origin = DAPP) {
    const before = opened.length;
    const answer = request(method, params, origin);
    while (opened.length === before) await new Promise((r) => setTimeout(r, 5));
    const id = opened[opened.length - 1]!;
    expect(await bg.handleUi({ type: 'approval:decide', decision: { id, approve: true, ...decision } })).toEqual({ ok: true });
    return { id, answer: await answer };
  }
  return { bg, opened, events, request, approved };
}

const permissionRequest = (agent: Address, amount = '100') => [
  {
    chainId: toHex(31337),
    to: agent,
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: true,
      data: { tokenAddress: devnet.config.tokens.usdc, periodAmount: toHex(parseUnits(amount, 6)), periodDuration: DAY },
    },
    rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + 7 * DAY } }],
  },
];

beforeAll(async () => {
  devnet = await startDevnet({});
});
afterAll(async () => devnet?.stop());

describe('the background against the devnet', () => {
  let w: ReturnType<typeof background>;
  let accounts: Address[];
  let context: `0x${string}`;
  const pub = () => createPublicClient({ transport: http(devnet.config.rpcUrl) });
  const fund = (a: Address) => pub().request({ method: 'anvil_setBalance' as never, params: [a, toHex(10n ** 18n)] as never });

  it('connects a site to the accounts the user picks, and tells it (accountsChanged)', async () => {
    w = background();
    expect(await w.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[0]!.privateKey, password: 'correct horse' })).toMatchObject({ ok: true });
    const view = await w.bg.handleUi({ type: 'ui:accounts' });
    const all = (view as unknown as { accounts: { kind: string; address: Address; deployed: boolean }[] }).accounts;
    expect(all.map((a) => a.kind)).toEqual(['kernel', 'nexus', 'safe']);
    accounts = all.map((a) => a.address);
    const { answer } = await w.approved('eth_requestAccounts', [], { accounts });
    expect(answer).toEqual({ result: accounts });
    expect(w.events).toContainEqual({ origin: DAPP, event: 'accountsChanged', data: accounts });
    expect(await w.request('eth_accounts')).toEqual({ result: accounts });
    expect(await w.request('eth_accounts', undefined, 'http://other.test')).toEqual({ result: [] });
  });

  it('grants one key on Kernel, Nexus and Safe at once (deploying and installing as needed), each with the policy shown', async () => {
    for (const a of accounts) await fund(a);
    const agent = privateKeyToAccount(generatePrivateKey());
    const { id, answer } = await w.approved('wallet_requestExecutionPermissions', permissionRequest(agent.address), {
      accounts,
      limits: [[parseUnits('60', 6).toString()]],
    });
    expect(answer).toHaveProperty('result');
    const [response] = (answer as { result: { context: `0x${string}` }[] }).result;
    context = response!.context;
    const ctx = decodeContext(context);
    const key = await readKey(pub() as never, devnet.config.functor.keyStore, ctx.keyId);
    expect(key.accounts).toEqual(accounts);
    for (const a of accounts) {
      expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, a)).toBe('enabled');
      const p = fromPolicies(
        await pub().readContract({ address: devnet.config.functor.policyHook, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [a, ctx.keyId] }),
        0n,
      );
      // The user lowered 100 to 60 in the window: 60 is what is enforced.
      expect(p.spend.map((s) => s.limit)).toEqual([parseUnits('60', 6)]);
    }
    const view = await w.bg.handleUi({ type: 'approval:get', id });
    expect((view as unknown as { view: { approval: { state: string; progress: string[] } } }).view.approval).toMatchObject({ state: 'done' });
    expect((view as unknown as { view: { approval: { progress: string[] } } }).view.approval.progress.at(-1)).toMatch(/Granted/);

    // The context is what an agent needs: it spends on Nexus with lib/agent.
    const nexus = accounts[1]!;
    const net = {
      chain: devnetChain(31337, devnet.config.rpcUrl),
      rpcUrl: devnet.config.rpcUrl,
      bundlerUrl: devnet.config.bundlerUrl,
      entryPoint: devnet.config.entryPoint,
    };
    const owner = privateKeyToAccount(devnet.config.owners[0]!.privateKey);
    const nexusOwner = smartAccountClientFor(net, await toOwnerAccount({ kind: 'nexus', client: publicClientFor(net), owner, addresses: devnet.config }));
    await nexusOwner.waitForUserOperationReceipt({
      hash: await nexusOwner.sendUserOperation({
        calls: [{ to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [nexus, parseUnits('1000', 6)] }) }],
      }),
    });
    const nexusCtx = sessionContextOf({ ...ctx, account: nexus, kind: 'nexus' }, devnet.config.entryPoint);
    const session = await toFunctorSessionAccount({ client: publicClientFor(net), context: nexusCtx, signer: agent });
    const bob = privateKeyToAccount(generatePrivateKey()).address;
    const spend = (n: string) =>
      sendCalls(smartAccountClientFor(net, session), nexusCtx, [
        { to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, parseUnits(n, 6)] }) },
      ]);
    expect((await spend('50')).ok).toBe(true);
    expect((await spend('20')).ok).toBe(false);
  });

  it('lists the grant to its site only, and revokes it everywhere in one call', async () => {
    const listed = await w.request('wallet_getGrantedExecutionPermissions');
    expect((listed as { result: { context: string }[] }).result.map((r) => decodeContext(r.context).account)).toEqual(accounts);
    expect(await w.request('wallet_getGrantedExecutionPermissions', [], 'http://other.test')).toEqual({ result: [] });
    expect(await w.request('wallet_revokeExecutionPermission', { permissionContext: context }, 'http://other.test')).toMatchObject({ error: { code: -32602 } });
    expect(await w.request('wallet_revokeExecutionPermission', { permissionContext: context })).toEqual({ result: {} });
    const { keyId } = decodeContext(context);
    for (const a of accounts) expect(await grantState(pub() as never, devnet.config.functor.keyStore, keyId, a)).toBe('revoked');
    expect(await w.request('wallet_getGrantedExecutionPermissions')).toEqual({ result: [] });
  });

  it('sends owner calls (EIP-5792) after approval and reports their status', async () => {
    const bob = privateKeyToAccount(generatePrivateKey()).address;
    const { answer } = await w.approved('wallet_sendCalls', [
      { version: '2.0.0', chainId: '0x7a69', from: accounts[0], calls: [{ to: bob, value: '0x2386f26fc10000' }] },
    ]);
    const { id } = (answer as { result: { id: string } }).result;
    let status: { status: number } | undefined;
    for (let i = 0; i < 60 && status?.status !== 200; i++) {
      status = ((await w.request('wallet_getCallsStatus', [id])) as { result: { status: number } }).result;
      if (status.status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toMatchObject({ status: 200, atomic: true, chainId: '0x7a69' });
    expect(await pub().getBalance({ address: bob })).toBe(10n ** 16n);
    expect(await w.request('wallet_getCallsStatus', [id], 'http://other.test')).toMatchObject({ error: { code: 5730 } });
    expect((await w.request('wallet_getCapabilities', [accounts[0]])) as unknown).toEqual({
      result: { '0x7a69': { atomic: { status: 'supported' }, permissions: { supported: true } } },
    });
  });

  it("sends the owner's ops on one nonce key per account (Nexus, Safe), and two sent at once both land", async () => {
    const bob = privateKeyToAccount(generatePrivateKey()).address;
    const send = async (from: Address) => {
      const { answer } = await w.approved('wallet_sendCalls', [{ version: '2.0.0', chainId: '0x7a69', from, calls: [{ to: bob, value: '0x1' }] }]);
      return (answer as { result: { id: Hex } }).result.id;
    };
    const landed = async (id: Hex) => {
      for (let i = 0; i < 60; i++) {
        const [ev] = await pub().getContractEvents({
          address: devnet.config.entryPoint,
          abi: entryPoint07Abi,
          eventName: 'UserOperationEvent',
          args: { userOpHash: id },
          fromBlock: 0n,
        });
        if (ev) return { key: ev.args.nonce! >> 64n, sequence: ev.args.nonce! & (2n ** 64n - 1n), success: ev.args.success };
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`op ${id} never landed`);
    };
    for (const from of [accounts[1]!, accounts[2]!]) {
      const first = await landed(await send(from));
      const second = await landed(await send(from));
      expect(second.key, 'the same nonce key').toBe(first.key);
      expect(second.sequence).toBe(first.sequence + 1n);
      // Two at once: the site has its first id before that op lands; the second goes on a fresh key
      // unless the first has landed by then. Either way both land.
      const [a, b] = [await send(from), await send(from)];
      const [la, lb] = [await landed(a), await landed(b)];
      expect([la.success, lb.success]).toEqual([true, true]);
      expect(la.key).toBe(first.key);
      expect(lb.key === la.key ? lb.sequence === la.sequence + 1n : true).toBe(true);
    }
  });

  it("answers viem/experimental's grantPermissions (the earlier draft) unchanged: the key lands with the allowance asked", async () => {
    const { createWalletClient, custom } = await import('viem');
    const { erc7715Actions } = await import('viem/experimental');
    // A dapp's viem client whose transport is this background, as the page's provider would be.
    const transport = custom({
      async request({ method, params }) {
        let answerOf: Promise<unknown> | undefined;
        const before = w.opened.length;
        const res = w.request(method, params);
        if (method === 'wallet_grantPermissions') {
          while (w.opened.length === before) await new Promise((r) => setTimeout(r, 5));
          answerOf = w.bg.handleUi({ type: 'approval:decide', decision: { id: w.opened.at(-1)!, approve: true, accounts: [accounts[0]] } });
        }
        const r = await res;
        await answerOf;
        if ('error' in r) throw Object.assign(new Error(r.error.message), { code: r.error.code });
        return r.result;
      },
    });
    const client = createWalletClient({ chain: devnetChain(31337, devnet.config.rpcUrl), transport, account: accounts[0]! }).extend(erc7715Actions());
    const agent = privateKeyToAccount(generatePrivateKey());
    const granted = await client.grantPermissions({
      expiry: Math.floor(Date.now() / 1000) + DAY,
      signer: { type: 'account', data: { id: agent.address } },
      permissions: [
        {
          type: 'erc20-token-transfer',
          data: { address: devnet.config.tokens.usdc, ticker: 'USDC' },
          policies: [{ type: 'token-allowance', data: { allowance: parseUnits('5', 6) } }],
          required: true,
        },
      ],
    });
    const ctx = decodeContext(granted.permissionsContext);
    expect(ctx.account).toBe(accounts[0]);
    expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, accounts[0]!)).toBe('enabled');
    const p = fromPolicies(
      await pub().readContract({
        address: devnet.config.functor.policyHook,
        abi: functorPolicyHookAbi,
        functionName: 'policiesOf',
        args: [accounts[0]!, ctx.keyId],
      }),
      0n,
    );
    expect(p.spend.map((s) => s.limit)).toEqual([parseUnits('5', 6)]);
  });

  it('with the bundler down: a clear error to the dapp and the window, and nothing granted', async () => {
    const down = background({ bundlerUrl: 'http://127.0.0.1:9' });
    await down.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[0]!.privateKey, password: 'correct horse' });
    const agent = privateKeyToAccount(generatePrivateKey());
    const before = await pub().readContract({
      address: devnet.config.functor.keyStore,
      abi: [{ type: 'function', name: 'activeKeysOf', stateMutability: 'view', inputs: [{ type: 'address' }], outputs: [{ type: 'uint176[]' }] }],
      functionName: 'activeKeysOf',
      args: [accounts[0]!],
    });
    const { id, answer } = await down.approved('wallet_requestExecutionPermissions', permissionRequest(agent.address), { accounts: [accounts[0]] });
    expect(answer).toMatchObject({ error: { code: -32603 } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/bundler at http:\/\/127.0.0.1:9 does not answer/);
    const view = (await down.bg.handleUi({ type: 'approval:get', id })) as unknown as { view: { approval: { state: string; error: string } } };
    expect(view.view.approval.state).toBe('failed');
    expect(view.view.approval.error).toMatch(/bundler/);
    const after = await pub().readContract({
      address: devnet.config.functor.keyStore,
      abi: [{ type: 'function', name: 'activeKeysOf', stateMutability: 'view', inputs: [{ type: 'address' }], outputs: [{ type: 'uint176[]' }] }],
      functionName: 'activeKeysOf',
      args: [accounts[0]!],
    });
    expect(after).toEqual(before);
    expect(await down.request('wallet_getGrantedExecutionPermissions')).toEqual({ result: [] });
  });

  it('an approval window reads the accounts from the chain once per open and again after an unlock, not on every read', async () => {
    // Every request to the chain, whoever makes it (viem's transports use the global fetch).
    let chainReads = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      if ((input instanceof Request ? input.url : String(input)).replace(/\/$/, '') === devnet.config.rpcUrl.replace(/\/$/, '')) chainReads++;
      return realFetch(input, init);
    }) as typeof fetch;
    onTestFinished(() => void (globalThis.fetch = realFetch));
    const win = background();
    await win.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[2]!.privateKey, password: 'correct horse' });
    const before = win.opened.length;
    const answer = win.request('eth_requestAccounts', []);
    while (win.opened.length === before) await new Promise((r) => setTimeout(r, 5));
    const id = win.opened.at(-1)!;
    const read = async () =>
      (await win.bg.handleUi({ type: 'approval:get', id })) as unknown as { ok: boolean; view: { accounts?: unknown[]; locked: boolean } };
    const start = chainReads;
    expect((await read()).view.accounts).toHaveLength(3);
    const firstOpen = chainReads - start;
    expect(firstOpen).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await read()).view.accounts).toHaveLength(3);
    expect(chainReads - start, 'reads after the first one went to the chain again').toBe(firstOpen);
    // Locked: no accounts, no chain reads; unlocked again: read afresh, once.
    await win.bg.handleUi({ type: 'wallet:lock' });
    expect(await read()).toMatchObject({ ok: true, view: { locked: true } });
    expect((await read()).view.accounts).toBeUndefined();
    const locked = chainReads;
    await win.bg.handleUi({ type: 'wallet:unlock', password: 'correct horse' });
    expect((await read()).view.accounts).toHaveLength(3);
    expect(chainReads).toBeGreaterThan(locked);
    const unlocked = chainReads;
    await read();
    expect(chainReads).toBe(unlocked);
    expect(await win.bg.handleUi({ type: 'approval:decide', decision: { id, approve: false } })).toEqual({ ok: true });
    expect(await answer).toMatchObject({ error: { code: 4001 } });
  });

  it('adds a network after checking it, and says what is missing', async () => {
    const ok = await w.bg.handleUi({ type: 'ui:addNetwork', input: { name: 'Copy', rpcUrl: devnet.config.rpcUrl, bundlerUrl: devnet.config.bundlerUrl } });
    expect(ok).toMatchObject({ ok: true, check: { ok: true, chainId: 31337, problems: [] } });
    const dead = await w.bg.handleUi({ type: 'ui:addNetwork', input: { name: 'Dead', rpcUrl: 'http://127.0.0.1:9', bundlerUrl: 'http://127.0.0.1:9' } });
    expect(dead).toMatchObject({ ok: false, error: 'The chain RPC at http://127.0.0.1:9 does not answer' });
    const bad = await w.bg.handleUi({ type: 'ui:addNetwork', input: { name: 'x', rpcUrl: 'ftp://a', bundlerUrl: devnet.config.bundlerUrl } });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/rpcUrl/) });
    // A chain without the Functor contracts: anvil with nothing deployed.
    const bare = await startDevnetChainOnly();
    try {
      const r = await w.bg.handleUi({ type: 'ui:addNetwork', input: { name: 'Bare', rpcUrl: bare.url, bundlerUrl: devnet.config.bundlerUrl } });
      expect(r).toMatchObject({ ok: true, check: { ok: false } });
      const problems = (r as unknown as { check: { problems: string[] } }).check.problems;
      expect(problems.join(' ')).toMatch(/Functor KeyStore is not deployed on this chain/);
      // Each account kind's missing contracts, with what their absence costs.
      expect(problems).toContain(
        `Kernel's owner validator (ECDSAValidator) is not deployed on this chain (no code at ${devnet.config.kernel.ownerValidator}): Kernel accounts cannot be used`,
      );
      expect(problems).toContain(
        `the Safe7579 launchpad is not deployed on this chain (no code at ${devnet.config.safe.launchpad}): new Safe accounts cannot be made`,
      );
      expect(problems).toContain(
        `MetaMask's DelegationManager is not deployed on this chain (no code at ${devnet.config.delegationFramework.DelegationManager}): grants have the UserOp path only`,
      );
    } finally {
      await bare.stop();
    }
  });

  it('a known public network (Sepolia, on a second devnet chain): RPC and bundler only, checked; the same accounts as on the first chain; a grant lands there', async () => {
    const second = await startDevnet({ chainId: 11155111 });
    try {
      const b = background();
      await b.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[2]!.privateKey, password: 'correct horse' });
      const home = ((await b.bg.handleUi({ type: 'ui:accounts' })) as unknown as { accounts: { kind: string; address: Address }[] }).accounts;
      const networksBefore = ((await b.bg.handleUi({ type: 'ui:overview' })) as unknown as { networks: unknown[] }).networks.length;
      // The wrong chain behind a known network's name: refused, nothing added.
      const wrong = await b.bg.handleUi({ type: 'ui:addNetwork', input: { known: 8453, rpcUrl: second.config.rpcUrl, bundlerUrl: second.config.bundlerUrl } });
      expect(wrong).toMatchObject({ ok: false, error: `The RPC at ${second.config.rpcUrl} is chain 11155111, not Base (8453)` });
      expect(
        await b.bg.handleUi({ type: 'ui:addNetwork', input: { known: 5, rpcUrl: second.config.rpcUrl, bundlerUrl: second.config.bundlerUrl } }),
      ).toMatchObject({
        ok: false,
        error: expect.stringMatching(/not one of the networks the wallet knows/),
      });
      expect(((await b.bg.handleUi({ type: 'ui:overview' })) as unknown as { networks: unknown[] }).networks).toHaveLength(networksBefore);
      // Sepolia: no addresses file, the canonical ones and Functor's own are all there.
      const added = (await b.bg.handleUi({
        type: 'ui:addNetwork',
        input: { known: 11155111, rpcUrl: second.config.rpcUrl, bundlerUrl: second.config.bundlerUrl },
      })) as unknown as {
        ok: boolean;
        network: { id: string; name: string; chainId: number };
        check: { ok: boolean; problems: string[] };
      };
      expect(added).toMatchObject({ ok: true, network: { name: 'Sepolia', chainId: 11155111 }, check: { ok: true, problems: [] } });
      expect(await b.bg.handleUi({ type: 'ui:selectNetwork', id: added.network.id })).toMatchObject({ ok: true });
      const there = ((await b.bg.handleUi({ type: 'ui:accounts' })) as unknown as { accounts: { kind: string; address: Address }[] }).accounts;
      // Kernel and Safe (Nexus: import by address on public networks), at the same addresses as on the first chain.
      expect(there.map((a) => a.kind)).toEqual(['kernel', 'safe']);
      expect(there.map((a) => a.address)).toEqual(home.filter((a) => a.kind !== 'nexus').map((a) => a.address));
      const kernel = there[0]!.address;
      const pub2 = createPublicClient({ transport: http(second.config.rpcUrl) });
      await pub2.request({ method: 'anvil_setBalance' as never, params: [kernel, toHex(10n ** 18n)] as never });
      expect(await b.approved('eth_requestAccounts', [], { accounts: [kernel] })).toMatchObject({ answer: { result: [kernel] } });
      const agent = privateKeyToAccount(generatePrivateKey());
      const request = permissionRequest(agent.address).map((r) => ({
        ...r,
        chainId: toHex(11155111),
        permission: { ...r.permission, data: { ...r.permission.data, tokenAddress: second.config.tokens.usdc } },
      }));
      const { answer } = await b.approved('wallet_requestExecutionPermissions', request, { accounts: [kernel] });
      const ctx = decodeContext((answer as { result: { context: `0x${string}` }[] }).result[0]!.context);
      expect(ctx.chainId).toBe(11155111);
      expect(await grantState(pub2 as never, second.config.functor.keyStore, ctx.keyId, kernel)).toBe('enabled');
      // Not on the first chain: a grant is per chain.
      expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, kernel)).not.toBe('enabled');
    } finally {
      await second.stop();
    }
  });

  it('installs Functor on an account from the popup, and imports an account only when the owner controls it', async () => {
    const other = background();
    await other.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[1]!.privateKey, password: 'correct horse' });
    const list = (await other.bg.handleUi({ type: 'ui:accounts' })) as unknown as {
      accounts: { kind: string; address: Address; validator: boolean; hook: boolean }[];
    };
    const safe = list.accounts.find((a) => a.kind === 'safe')!;
    expect(safe.hook).toBe(false);
    await fund(safe.address);
    expect(await other.bg.handleUi({ type: 'ui:install', address: safe.address })).toMatchObject({ ok: true });
    const after = (await other.bg.handleUi({ type: 'ui:accounts' })) as unknown as {
      accounts: { address: Address; validator: boolean; hook: boolean; deployed: boolean }[];
    };
    expect(after.accounts.find((a) => a.address === safe.address)).toMatchObject({ deployed: true, validator: true, hook: true });
    // owner 0's Kernel is deployed (granted above) but not owner 1's.
    expect(await other.bg.handleUi({ type: 'ui:importAccount', address: accounts[0]! })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/does not control/),
    });
    expect(await other.bg.handleUi({ type: 'ui:importAccount', address: getAddress(devnet.config.tokens.usdc) })).toMatchObject({ ok: false });
  });
});

/** A bare anvil: a chain where nothing of Functor is deployed. */
async function startDevnetChainOnly() {
  const { startProcess, freePort, waitForRpc } = await import('../../devnet/processes.js');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = startProcess('anvil', 'anvil', ['--host', '127.0.0.1', '--port', String(port)], {});
  await waitForRpc(url, 'eth_chainId', p);
  return { url, stop: () => p.stop() };
}

describe("the popup's key actions against the devnet", () => {
  it('lists the key with its usage; a raised limit keeps the counter; a rotated signer keeps it too; disable cuts one account', async () => {
    const pub = () => createPublicClient({ transport: http(devnet.config.rpcUrl) });
    const w = background();
    await w.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[2]!.privateKey, password: 'correct horse' });
    const all = ((await w.bg.handleUi({ type: 'ui:accounts' })) as unknown as { accounts: { kind: string; address: Address }[] }).accounts;
    const [kernel, nexus] = [all[0]!.address, all[1]!.address];
    for (const a of [kernel, nexus]) await pub().request({ method: 'anvil_setBalance' as never, params: [a, toHex(10n ** 18n)] as never });
    const agent = privateKeyToAccount(generatePrivateKey());
    const { answer } = await w.approved('wallet_requestExecutionPermissions', permissionRequest(agent.address), { accounts: [kernel, nexus] });
    const ctx = decodeContext((answer as { result: { context: `0x${string}` }[] }).result[0]!.context);

    const net = {
      chain: devnetChain(31337, devnet.config.rpcUrl),
      rpcUrl: devnet.config.rpcUrl,
      bundlerUrl: devnet.config.bundlerUrl,
      entryPoint: devnet.config.entryPoint,
    };
    const minter = smartAccountClientFor(
      net,
      await toOwnerAccount({
        kind: 'kernel',
        client: publicClientFor(net),
        owner: privateKeyToAccount(devnet.config.owners[2]!.privateKey),
        addresses: devnet.config,
      }),
    );
    await minter.waitForUserOperationReceipt({
      hash: await minter.sendUserOperation({
        calls: [{ to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [kernel, parseUnits('1000', 6)] }) }],
      }),
    });
    const sc = sessionContextOf(ctx, devnet.config.entryPoint);
    const bob = privateKeyToAccount(generatePrivateKey()).address;
    const spend = async (signer: ReturnType<typeof privateKeyToAccount>, n: string) =>
      sendCalls(smartAccountClientFor(net, await toFunctorSessionAccount({ client: publicClientFor(net), context: sc, signer })), sc, [
        { to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, parseUnits(n, 6)] }) },
      ]);
    const { blockedSince } = await import('../../lib/background/keys.js');
    const watch = await blockedSince(w.bg.ctx, undefined);
    expect((await spend(agent, '60')).ok).toBe(true);
    // A refused attempt sent with its own gas limits lands and fails onchain: the watcher sees it.
    const forced = await sendCalls(
      smartAccountClientFor(net, await toFunctorSessionAccount({ client: publicClientFor(net), context: sc, signer: agent })),
      sc,
      [{ to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, parseUnits('50', 6)] }) }],
      { gas: { callGasLimit: 400_000n, verificationGasLimit: 600_000n, preVerificationGas: 100_000n } },
    );
    expect(forced.ok).toBe(false);
    const seen = await blockedSince(w.bg.ctx, watch.next);
    expect(seen.blocked).toHaveLength(1);
    expect(seen.blocked[0]).toMatchObject({ kind: 'blocked', account: kernel, refusal: { error: 'SpendLimitExceeded' } });
    expect((await blockedSince(w.bg.ctx, seen.next)).blocked).toEqual([]);

    const { fromJsonSafe } = await import('../../lib/background/jsonSafe.js');
    type Keys = {
      keyId: bigint;
      accounts: { address: Address; spends: { used: bigint; limit: bigint }[]; permission?: import('../../lib/permissions/types.js').Permission }[];
      revoked: boolean;
    }[];
    const keys = async () => fromJsonSafe<Keys>(((await w.bg.handleUi({ type: 'ui:keys' })) as unknown as { keys: unknown }).keys);
    let k = (await keys()).find((x) => x.keyId === ctx.keyId)!;
    expect(k.accounts.map((a) => a.address)).toEqual([kernel, nexus]);
    expect(k.accounts[0]!.spends[0]).toMatchObject({ used: parseUnits('60', 6), limit: parseUnits('100', 6) });

    // Raise the limit to 150 on both: same key, the 60 already used still counts.
    const raised = { ...k.accounts[0]!.permission!, spend: [{ ...k.accounts[0]!.permission!.spend[0]!, limit: parseUnits('150', 6) }] };
    const { toJsonSafe } = await import('../../lib/background/jsonSafe.js');
    expect(await w.bg.handleUi({ type: 'ui:editPolicy', keyId: ctx.keyId.toString(), accounts: [kernel, nexus], permission: toJsonSafe(raised) })).toEqual({
      ok: true,
    });
    k = (await keys()).find((x) => x.keyId === ctx.keyId)!;
    expect(k.accounts[0]!.spends[0]).toMatchObject({ used: parseUnits('60', 6), limit: parseUnits('150', 6) });
    expect((await spend(agent, '100')).ok).toBe(false);
    expect((await spend(agent, '80')).ok).toBe(true);

    // A new signer for the same key: the old one is refused, the new one spends on the same counter.
    const next = privateKeyToAccount(generatePrivateKey());
    const { ecdsaSignerId } = await import('../../lib/keystore/ids.js');
    expect(
      await w.bg.handleUi({ type: 'ui:rotateSigner', keyId: ctx.keyId.toString(), oldSigner: ecdsaSignerId(agent.address), newSigner: next.address }),
    ).toEqual({ ok: true });
    expect((await spend(agent, '1')).ok).toBe(false);
    expect((await spend(next, '20')).ok).toBe(false);
    expect((await spend(next, '10')).ok).toBe(true);

    // Disable on Nexus only.
    expect(await w.bg.handleUi({ type: 'ui:disableKey', keyId: ctx.keyId.toString(), account: nexus })).toEqual({ ok: true });
    expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, nexus)).not.toBe('enabled');
    expect(await grantState(pub() as never, devnet.config.functor.keyStore, ctx.keyId, kernel)).toBe('enabled');
  });
});

describe('a wallet whose clock runs two minutes fast', () => {
  it("starts a periodic grant at the chain's time, not its own: the agent's first spend lands at once", async () => {
    const w = background({}, () => Date.now() + 120_000);
    await w.bg.handleUi({ type: 'wallet:import', secret: devnet.config.owners[1]!.privateKey, password: 'correct horse' });
    const view = (await w.bg.handleUi({ type: 'ui:accounts' })) as unknown as { accounts: { kind: string; address: Address }[] };
    const kernel = view.accounts.find((a) => a.kind === 'kernel')!.address;
    const pub = createPublicClient({ transport: http(devnet.config.rpcUrl) });
    await pub.request({ method: 'anvil_setBalance' as never, params: [kernel, toHex(10n ** 18n)] as never });
    const minter = createWalletClient({
      chain: devnetChain(31337, devnet.config.rpcUrl),
      transport: http(devnet.config.rpcUrl),
      account: privateKeyToAccount(devnet.config.owners[1]!.privateKey),
    });
    await pub.waitForTransactionReceipt({
      hash: await minter.writeContract({ address: devnet.config.tokens.usdc, abi: devTokenAbi, functionName: 'mint', args: [kernel, parseUnits('10', 6)] }),
    });
    await w.approved('eth_requestAccounts', [], { accounts: [kernel] });
    const agent = privateKeyToAccount(generatePrivateKey());
    const asked = Number((await pub.getBlock()).timestamp);
    const { answer } = await w.approved('wallet_requestExecutionPermissions', permissionRequest(agent.address), { accounts: [kernel] });
    const ctx = decodeContext((answer as { result: { context: Hex }[] }).result[0]!.context);
    const p = fromPolicies(
      await pub.readContract({ address: devnet.config.functor.policyHook, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [kernel, ctx.keyId] }),
      0n,
    );
    // The period starts no later than the chain's time when it was asked (the wallet's clock says
    // two minutes later): a start in the chain's future refused every spend until the chain got there.
    const period = p.spend[0]!.period;
    expect(period.kind).toBe('fixed');
    expect(period.kind === 'fixed' && period.start).toBeGreaterThanOrEqual(asked);
    expect(period.kind === 'fixed' && period.start).toBeLessThan(Math.floor(Date.now() / 1000) + 60);

    const net = {
      chain: devnetChain(31337, devnet.config.rpcUrl),
      rpcUrl: devnet.config.rpcUrl,
      bundlerUrl: devnet.config.bundlerUrl,
      entryPoint: devnet.config.entryPoint,
    };
    const sc = sessionContextOf(ctx, devnet.config.entryPoint);
    const session = await toFunctorSessionAccount({ client: publicClientFor(net), context: sc, signer: agent });
    const bob = privateKeyToAccount(generatePrivateKey()).address;
    const r = await sendCalls(smartAccountClientFor(net, session), sc, [
      { to: devnet.config.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, parseUnits('1', 6)] }) },
    ]);
    expect(r.ok, r.ok ? 'landed' : JSON.stringify(r.refusal, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(true);
  });
});
