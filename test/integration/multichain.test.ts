// One key on several chains (issue 16, part 3), through the extension's background against two real
// devnet chains (31337, and 11155111 added as Sepolia, each with its own anvil and Alto): one approval
// grants the key on accounts of both, the agent spends on both, the Keys tab shows one key with its
// accounts per chain, Revoke is one op per chain, a chain whose bundler is down is reported still
// live (and not marked revoked) until a retry ends it there, and the agent is then refused on both.
import { createPublicClient, createWalletClient, encodeFunctionData, erc20Abi, http, parseUnits, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { devTokenAbi, keyStoreAbi } from '../../lib/abi/generated.js';
import { devnetChain, publicClientFor, smartAccountClientFor } from '../../lib/accounts/clients.js';
import { sendCalls } from '../../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { createBackground } from '../../lib/background/index.js';
import { memoryStore } from '../../lib/background/store.js';
import { decodeContext, sessionContextOf } from '../../lib/erc7715/response.js';
import { grantState, readKey } from '../../lib/keystore/read.js';
import type { ApprovalView, KeyView } from '../../lib/protocol/views.js';
import { RELAY_TARGET_BACKGROUND } from '../../lib/provider/messages.js';
import { alertsFor } from '../../lib/background/alerts.js';
import { fromJsonSafe, toJsonSafe } from '../../lib/protocol/jsonSafe.js';

const DAPP = 'http://dapp.test';
const DAY = 86_400;
let a: Devnet; // chain 31337, the wallet's devnet network
let b: Devnet; // chain 11155111, added as Sepolia

beforeAll(async () => {
  [a, b] = [await startDevnet({}), await startDevnet({ chainId: 11155111 })];
});
afterAll(async () => Promise.all([a?.stop(), b?.stop()]));

function wallet() {
  const store = memoryStore();
  const opened: string[] = [];
  const bg = createBackground({
    store,
    openApproval: async (id) => void opened.push(id),
    emit: () => {},
    devnetConfigUrl: 'http://devnet.test/devnet.json',
    fetch: (async (url: string | URL | Request, init?: RequestInit) =>
      String(url) === 'http://devnet.test/devnet.json' ? new Response(JSON.stringify(a.config)) : fetch(url, init)) as typeof fetch,
    kdfIterations: 100_000,
  });
  let n = 0;
  const request = (method: string, params?: unknown) => bg.handleDapp({ target: RELAY_TARGET_BACKGROUND, id: `r${n++}`, method, params, origin: DAPP });
  /** Sends a request that opens a window; returns the window's id and the dapp's pending answer. */
  async function ask(method: string, params: unknown) {
    const before = opened.length;
    const answer = request(method, params);
    while (opened.length === before) await new Promise((r) => setTimeout(r, 5));
    return { id: opened[opened.length - 1]!, answer };
  }
  /** A popup message's answer, bigints restored (extension messaging carries them JSON-safe). */
  const ui = async <T>(m: Parameters<typeof bg.handleUi>[0]) => fromJsonSafe<T>(await bg.handleUi(m));
  return { bg, store, request, ask, ui };
}

const usdcRequest = (agent: Address, token: Address) => [
  {
    chainId: toHex(31337),
    to: agent,
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: true,
      data: { tokenAddress: token, periodAmount: toHex(parseUnits('100', 6)), periodDuration: DAY },
    },
    rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + 7 * DAY } }],
  },
];

const netOf = (d: Devnet) => ({
  chain: devnetChain(d.config.chainId, d.config.rpcUrl),
  rpcUrl: d.config.rpcUrl,
  bundlerUrl: d.config.bundlerUrl,
  entryPoint: d.config.entryPoint,
});
const pubOf = (d: Devnet) => createPublicClient({ transport: http(d.config.rpcUrl) });

async function fund(d: Devnet, account: Address, usdc: string) {
  const pub = pubOf(d);
  const minter = privateKeyToAccount(generatePrivateKey());
  for (const x of [account, minter.address]) await pub.request({ method: 'anvil_setBalance' as never, params: [x, toHex(10n ** 18n)] as never });
  const w = createWalletClient({ chain: netOf(d).chain, transport: http(d.config.rpcUrl), account: minter });
  await pub.waitForTransactionReceipt({
    hash: await w.writeContract({ address: d.config.tokens.usdc, abi: devTokenAbi, functionName: 'mint', args: [account, parseUnits(usdc, 6)] }),
  });
}

/** The agent's USDC transfer on one chain with that chain's context, through lib/agent. */
async function spend(d: Devnet, context: Hex, signer: PrivateKeyAccount, amount: string) {
  const sc = sessionContextOf(decodeContext(context), d.config.entryPoint);
  const session = await toFunctorSessionAccount({ client: publicClientFor(netOf(d)), context: sc, signer });
  const to = privateKeyToAccount(generatePrivateKey()).address;
  return sendCalls(smartAccountClientFor(netOf(d), session), sc, [
    { to: d.config.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, parseUnits(amount, 6)] }) },
  ]);
}

/** Asserts that a spend landed; when it did not, the failure says why (the refusal, its stage, the raw reason). */
function expectLanded(r: Awaited<ReturnType<typeof spend>>) {
  expect(r.ok, r.ok ? 'landed' : `refused: ${JSON.stringify(toJsonSafe(r.refusal))}`).toBe(true);
}

describe('one key on two chains', () => {
  const w = wallet();
  let sepolia: string;
  let kernel: Address;
  let safe: Address;
  const agent = privateKeyToAccount(generatePrivateKey());
  let contexts: Record<number, Hex>;

  it('the wallet holds both networks; Kernel is at one address on both', async () => {
    expect(await w.ui({ type: 'wallet:import', secret: a.config.owners[1]!.privateKey, password: 'correct horse' })).toMatchObject({ ok: true });
    const added = await w.ui<{ ok: true; network: { id: string } }>({
      type: 'ui:addNetwork',
      input: { known: 11155111, rpcUrl: b.config.rpcUrl, bundlerUrl: b.config.bundlerUrl },
    });
    expect(added).toMatchObject({ ok: true, network: { name: 'Sepolia', chainId: 11155111 }, check: { ok: true } });
    sepolia = added.network.id;
    // The devnet's tokens are at the same address on both chains (deployed the same way).
    expect(b.config.tokens.usdc).toBe(a.config.tokens.usdc);
    const home = (await w.ui<{ accounts: { kind: string; address: Address }[] }>({ type: 'ui:accounts' })).accounts;
    kernel = home.find((x) => x.kind === 'kernel')!.address;
    safe = home.find((x) => x.kind === 'safe')!.address;
    await fund(a, kernel, '1000');
    await fund(b, kernel, '1000');
    await fund(b, safe, '0');
  });

  it('the approval window offers the other network with its accounts; a network, account or token that does not fit is refused and nothing is sent', async () => {
    const before = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agent.address, a.config.tokens.usdc));
    const view = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id: before.id })).view;
    expect(view.network).toMatchObject({ chainId: 31337 });
    // Never connected, never granted anything: the window marks the site as new.
    expect(view.firstTime).toBe(true);
    expect(view.otherNetworks).toEqual([
      expect.objectContaining({
        id: sepolia,
        name: 'Sepolia',
        chainId: 11155111,
        accounts: [expect.objectContaining({ address: kernel }), expect.objectContaining({ address: safe })],
      }),
    ]);
    const logsBefore = await pubOf(a).getContractEvents({ address: a.config.functor.keyStore, abi: keyStoreAbi, eventName: 'KeyRegistered', fromBlock: 0n });
    // An account that is not the owner's on Sepolia: refused before anything is sent, on either chain.
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    expect(
      await w.ui({
        type: 'approval:decide',
        decision: { id: before.id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [stranger] }] },
      }),
    ).toEqual({
      ok: true,
    });
    expect(await before.answer).toMatchObject({ error: { message: expect.stringMatching(/is not one of this wallet's accounts on this network/) } });
    const again = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agent.address, a.config.tokens.usdc));
    await w.ui({
      type: 'approval:decide',
      decision: { id: again.id, approve: true, accounts: [kernel], also: [{ networkId: 'nowhere', accounts: [kernel] }] },
    });
    expect(await again.answer).toMatchObject({ error: { message: 'Network nowhere is not in this wallet' } });

    // A token of chain 31337 only: the window says why Sepolia is not offered, and naming it is refused.
    const onlyHere = privateKeyToAccount(generatePrivateKey()).address;
    const code = await pubOf(a).getCode({ address: a.config.tokens.usdc });
    await pubOf(a).request({ method: 'anvil_setCode' as never, params: [onlyHere, code] as never });
    const token = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agent.address, onlyHere));
    const tv = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id: token.id })).view;
    expect(tv.otherNetworks?.[0]).toMatchObject({ id: sepolia, problem: expect.stringMatching(/there is no such token at that address on Sepolia/) });
    expect(tv.otherNetworks?.[0]?.accounts).toBeUndefined();
    await w.ui({ type: 'approval:decide', decision: { id: token.id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [kernel] }] } });
    expect(await token.answer).toMatchObject({ error: { message: expect.stringMatching(/^Cannot grant on Sepolia too: .*no such token/) } });

    const logsAfter = await pubOf(a).getContractEvents({ address: a.config.functor.keyStore, abi: keyStoreAbi, eventName: 'KeyRegistered', fromBlock: 0n });
    expect(logsAfter).toHaveLength(logsBefore.length);
    expect(await pubOf(b).getContractEvents({ address: b.config.functor.keyStore, abi: keyStoreAbi, eventName: 'KeyRegistered', fromBlock: 0n })).toHaveLength(
      0,
    );
  });

  it('a contract the key may call is offered on the other chain only where that address holds the very same code', async () => {
    const callsRequest = (target: Address) => [
      {
        chainId: toHex(31337),
        to: agent.address,
        permission: { type: 'functor-calls', isAdjustmentAllowed: false, data: { calls: [{ to: target, selector: 'transfer(address,uint256)' }] } },
        rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + DAY } }],
      },
    ];
    const usdcCode = (await pubOf(a).getCode({ address: a.config.tokens.usdc }))!;
    const target = privateKeyToAccount(generatePrivateKey()).address;
    await pubOf(a).request({ method: 'anvil_setCode' as never, params: [target, usdcCode] as never });
    const problemFor = async () => {
      const r = await w.ask('wallet_requestExecutionPermissions', callsRequest(target));
      const v = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id: r.id })).view;
      await w.ui({ type: 'approval:decide', decision: { id: r.id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [kernel] }] } });
      return { shown: v.otherNetworks?.[0]?.problem, answer: await r.answer };
    };
    // Nothing at that address on Sepolia (anyone could deploy something there later).
    const none = await problemFor();
    expect(none.shown).toBe(`${target} has no contract on Sepolia: the permission names a contract of Local devnet`);
    expect(none.answer).toMatchObject({ error: { message: `Cannot grant on Sepolia too: ${none.shown}` } });
    // Other code there: refused too.
    await pubOf(b).request({ method: 'anvil_setCode' as never, params: [target, '0x6000600055'] as never });
    const other = await problemFor();
    expect(other.shown).toBe(`${target} holds other code on Sepolia than on Local devnet: the permission would not call the same contract there`);
    expect(other.answer).toMatchObject({ error: { message: `Cannot grant on Sepolia too: ${other.shown}` } });
    // The same code: offered.
    await pubOf(b).request({ method: 'anvil_setCode' as never, params: [target, usdcCode] as never });
    const same = await w.ask('wallet_requestExecutionPermissions', callsRequest(target));
    const view = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id: same.id })).view;
    expect(view.otherNetworks?.[0]).toMatchObject({ id: sepolia, accounts: expect.any(Array) });
    expect(view.otherNetworks?.[0]?.problem).toBeUndefined();
    await w.ui({ type: 'approval:decide', decision: { id: same.id, approve: false } });
    expect(await pubOf(b).getContractEvents({ address: b.config.functor.keyStore, abi: keyStoreAbi, eventName: 'KeyRegistered', fromBlock: 0n })).toHaveLength(
      0,
    );
  });

  it('one approval grants the key on both chains (one keyId: same controller address, same salt); the site gets each chain’s context', async () => {
    const { id, answer } = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agent.address, a.config.tokens.usdc));
    await w.ui({ type: 'approval:decide', decision: { id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [kernel] }] } });
    const result = ((await answer) as { result: { chainId: Hex; context: Hex }[] }).result;
    expect(result).toHaveLength(1);
    expect(result[0]!.chainId).toBe(toHex(31337));
    const progress = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id })).view.approval.progress;
    expect(progress.some((p) => /^Sepolia: .*Granted/.test(p))).toBe(true);
    expect(progress.some((p) => /^Local devnet: .*Granted/.test(p))).toBe(true);

    // Every chain's answer element, from the records: the agent finds its context for each chain.
    const granted = ((await w.request('wallet_getGrantedExecutionPermissions')) as { result: { chainId: Hex; context: Hex; from: Address }[] }).result;
    expect(granted.map((g) => g.chainId).sort()).toEqual([toHex(31337), toHex(11155111)].sort());
    contexts = Object.fromEntries(granted.map((g) => [Number(g.chainId), g.context]));
    const [ca, cb] = [decodeContext(contexts[31337]!), decodeContext(contexts[11155111]!)];
    expect(cb.chainId).toBe(11155111);
    expect(cb.keyId).toBe(ca.keyId);
    expect(await grantState(pubOf(a) as never, a.config.functor.keyStore, ca.keyId, kernel)).toBe('enabled');
    expect(await grantState(pubOf(b) as never, b.config.functor.keyStore, cb.keyId, kernel)).toBe('enabled');
  });

  it('the agent spends on both chains, each within its own limit', async () => {
    expectLanded(await spend(a, contexts[31337]!, agent, '60'));
    expectLanded(await spend(b, contexts[11155111]!, agent, '70'));
    // 60 + 50 > 100 on chain 31337; 70 + 20 fits on Sepolia: each chain counts its own spending.
    expect((await spend(a, contexts[31337]!, agent, '50')).ok).toBe(false);
    expectLanded(await spend(b, contexts[11155111]!, agent, '20'));
  });

  it('the Keys tab shows one key with its account on each chain, usage per chain, and a history merging both, labelled', async () => {
    const { keys } = await w.ui<{ keys: KeyView[] }>({ type: 'ui:keys' });
    const mine = keys.filter((k) => k.signers.some((s) => s.toLowerCase().includes(agent.address.slice(2).toLowerCase())));
    expect(mine).toHaveLength(1);
    const k = mine[0]!;
    expect(k.chains.map((c) => [c.name, c.chainId, c.revoked])).toEqual([
      ['Local devnet', 31337, false],
      ['Sepolia', 11155111, false],
    ]);
    expect(k.accounts.map((x) => [x.chain, x.address])).toEqual([
      [k.chains[0]!.name, kernel],
      ['Sepolia', kernel],
    ]);
    expect(k.accounts.map((x) => x.spends[0]!.used)).toEqual([parseUnits('60', 6), parseUnits('90', 6)]);
    // Alerts (issue 20) from this view: Sepolia's 90 of 100 USDC is past 80%, the first chain's 60 is not.
    const alerts = alertsFor(keys, Math.floor(Date.now() / 1000)).filter((x) => x.keyId === k.keyId.toString());
    expect(alerts).toEqual([
      expect.objectContaining({
        networkId: sepolia,
        title: expect.stringMatching(/has used 90% of a limit$/),
        message: expect.stringContaining('90 USDC of 100 USDC on Kernel (Sepolia)'),
      }),
    ]);
    for (const c of k.chains) {
      const h = await w.ui<{ history: { entries: { kind: string }[] } }>({
        type: 'ui:keyHistory',
        keyId: c.keyId.toString(),
        networkId: c.networkId,
        accounts: [kernel],
      });
      expect(h.history.entries.filter((e) => e.kind === 'executed')).toHaveLength(c.chainId === 31337 ? 1 : 2);
    }
  });

  it('Revoke: one op per chain; a chain whose bundler is down stays live and is reported so, until a retry ends it; then the agent is refused on both', async () => {
    const { keys } = await w.ui<{ keys: KeyView[] }>({ type: 'ui:keys' });
    const k = keys.find((x) => x.chains.length === 2 && !x.revoked)!;
    // Sepolia's bundler goes away (the user's network now points at a port nothing listens on).
    const networks = structuredClone(await w.store.get('networks')) as { id: string; bundlerUrl: string }[];
    const stored = networks.find((n) => n.id === sepolia)!;
    const bundler = stored.bundlerUrl;
    stored.bundlerUrl = 'http://127.0.0.1:9';
    await w.store.set('networks', networks);

    const [onA, onB] = await Promise.all(k.chains.map((c) => w.ui({ type: 'ui:revokeKey', keyId: c.keyId.toString(), networkId: c.networkId })));
    expect(onA).toMatchObject({ ok: true, chain: { chainId: 31337 } });
    expect(onB).toMatchObject({ ok: false, error: expect.stringMatching(/bundler at http:\/\/127\.0\.0\.1:9 does not answer/) });
    expect((await readKey(pubOf(a) as never, a.config.functor.keyStore, k.chains[0]!.keyId)).revoked).toBe(true);
    expect((await readKey(pubOf(b) as never, b.config.functor.keyStore, k.chains[1]!.keyId)).revoked).toBe(false);
    // Nothing is reported revoked that is not: the key shows live on Sepolia, the site's grant there too.
    const mid = (await w.ui<{ keys: KeyView[] }>({ type: 'ui:keys' })).keys.find((x) => x.keyId === k.keyId && x.chains.length === 2)!;
    expect(mid.chains.map((c) => c.revoked)).toEqual([true, false]);
    expect(mid.revoked).toBe(false);
    const live = ((await w.request('wallet_getGrantedExecutionPermissions')) as { result: { chainId: Hex }[] }).result;
    expect(live.map((g) => g.chainId)).toEqual([toHex(11155111)]);
    expectLanded(await spend(b, contexts[11155111]!, agent, '1'));

    // The bundler is back: the retry ends the key there; asking again where it is revoked costs nothing.
    stored.bundlerUrl = bundler;
    await w.store.set('networks', networks);
    expect(await w.ui({ type: 'ui:revokeKey', keyId: k.chains[1]!.keyId.toString(), networkId: sepolia })).toMatchObject({
      ok: true,
      chain: { name: 'Sepolia' },
    });
    expect(await w.ui({ type: 'ui:revokeKey', keyId: k.chains[0]!.keyId.toString(), networkId: k.chains[0]!.networkId })).toMatchObject({
      ok: true,
      already: true,
    });
    const after = (await w.ui<{ keys: KeyView[] }>({ type: 'ui:keys' })).keys.find((x) => x.keyId === k.keyId && x.chains.length === 2)!;
    expect(after.revoked).toBe(true);
    expect(((await w.request('wallet_getGrantedExecutionPermissions')) as { result: unknown[] }).result).toEqual([]);
    for (const [d, c] of [
      [a, contexts[31337]!],
      [b, contexts[11155111]!],
    ] as const) {
      const r = await spend(d, c, agent, '1');
      expect(r.ok).toBe(false);
    }
  });

  it("the site's own revoke (wallet_revokeExecutionPermission) ends the key on every chain it was granted on", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    const { id, answer } = await w.ask('wallet_requestExecutionPermissions', usdcRequest(other.address, a.config.tokens.usdc));
    await w.ui({ type: 'approval:decide', decision: { id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [kernel, safe] }] } });
    const context = ((await answer) as { result: { context: Hex }[] }).result[0]!.context;
    const ctx = decodeContext(context);
    const progress = (await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id })).view.approval.progress;
    expect(progress, 'granted on both chains').toEqual(
      expect.arrayContaining([expect.stringMatching(/^Sepolia: Granted/), expect.stringMatching(/^Local devnet: Granted/)]),
    );
    expect(await grantState(pubOf(b) as never, b.config.functor.keyStore, ctx.keyId, safe)).toBe('enabled');
    expect(await w.request('wallet_revokeExecutionPermission', { permissionContext: context })).toEqual({ result: {} });
    expect((await readKey(pubOf(a) as never, a.config.functor.keyStore, ctx.keyId)).revoked).toBe(true);
    expect((await readKey(pubOf(b) as never, b.config.functor.keyStore, ctx.keyId)).revoked).toBe(true);
  });

  it('Revoke everything: every live key on every chain ends, one operation per chain and registering account; a chain that fails reports its keys still live until a retry', async () => {
    await fund(a, safe, '0');
    const agents = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    // One key on both chains registered from Kernel, one on chain 31337 registered from Safe.
    const g1 = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agents[0]!.address, a.config.tokens.usdc));
    // The site holds grants by now: no longer marked new.
    expect((await w.ui<{ view: ApprovalView }>({ type: 'approval:get', id: g1.id })).view.firstTime).toBeUndefined();
    await w.ui({ type: 'approval:decide', decision: { id: g1.id, approve: true, accounts: [kernel], also: [{ networkId: sepolia, accounts: [kernel] }] } });
    const k1 = decodeContext(((await g1.answer) as { result: { context: Hex }[] }).result[0]!.context).keyId;
    const g2 = await w.ask('wallet_requestExecutionPermissions', usdcRequest(agents[1]!.address, a.config.tokens.usdc));
    await w.ui({ type: 'approval:decide', decision: { id: g2.id, approve: true, accounts: [safe] } });
    const k2 = decodeContext(((await g2.answer) as { result: { context: Hex }[] }).result[0]!.context).keyId;
    expect((await readKey(pubOf(a) as never, a.config.functor.keyStore, k2)).controller).toBe(safe);

    const networks = structuredClone(await w.store.get('networks')) as { id: string; bundlerUrl: string }[];
    const stored = networks.find((n) => n.id === sepolia)!;
    const bundler = stored.bundlerUrl;
    stored.bundlerUrl = 'http://127.0.0.1:9';
    await w.store.set('networks', networks);
    const { keys } = await w.ui<{ keys: KeyView[] }>({ type: 'ui:keys' });
    const home = keys.find((k) => k.keyId === k1)!.chains[0]!.networkId;
    type Report = { ok: true; chain: { name: string }; ended: string[]; failed: { kind: string; keys: string[]; error: string }[] };
    const [onA, onB] = await Promise.all([w.ui<Report>({ type: 'ui:revokeAll', networkId: home }), w.ui<Report>({ type: 'ui:revokeAll', networkId: sepolia })]);
    expect(onA.ended.sort()).toEqual([k1.toString(), k2.toString()].sort());
    expect(onA.failed).toEqual([]);
    expect(onB).toMatchObject({
      ok: true,
      chain: { name: 'Sepolia' },
      ended: [],
      failed: [{ kind: 'Kernel', keys: [k1.toString()], error: expect.stringMatching(/does not answer/) }],
    });
    expect((await readKey(pubOf(b) as never, b.config.functor.keyStore, k1)).revoked).toBe(false);

    stored.bundlerUrl = bundler;
    await w.store.set('networks', networks);
    expect(await w.ui({ type: 'ui:revokeAll', networkId: sepolia })).toMatchObject({ ok: true, ended: [k1.toString()], failed: [] });
    // Nothing left: asking again sends nothing.
    expect(await w.ui({ type: 'ui:revokeAll', networkId: home })).toMatchObject({ ok: true, ended: [], failed: [] });
    for (const [d, k] of [
      [a, k1],
      [a, k2],
      [b, k1],
    ] as const)
      expect((await readKey(pubOf(d) as never, d.config.functor.keyStore, k)).revoked).toBe(true);
    expect(((await w.request('wallet_getGrantedExecutionPermissions')) as { result: unknown[] }).result).toEqual([]);
  });
});
