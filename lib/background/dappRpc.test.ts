import { getAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { encodeContext } from '../erc7715/response.js';
import { fakeDevnetJson, testBackground, tick } from './testing.js';

const DAPP = 'http://dapp.test';
const OTHER = 'http://evil.test';
const ACCOUNT = getAddress('0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
const SESSION = getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7');
const NOW = Math.floor(Date.now() / 1000);

const periodic = (over: Record<string, unknown> = {}) => [
  {
    chainId: toHex(31337),
    to: SESSION,
    permission: {
      type: 'erc20-token-periodic',
      isAdjustmentAllowed: true,
      data: { tokenAddress: fakeDevnetJson.tokens.usdc, periodAmount: '0x5f5e100', periodDuration: 86400 },
    },
    rules: [{ type: 'expiry', data: { timestamp: NOW + 7 * 86400 } }],
    ...over,
  },
];

describe('page requests: the boundary', () => {
  it('answers -32600 to malformed messages, 4200 to unknown methods (prototype names too)', async () => {
    const { bg, request } = testBackground();
    for (const m of [null, 42, 'x', [], {}, { target: 'other', id: '1', method: 'eth_chainId', origin: DAPP }]) {
      expect(await bg.handleDapp(m)).toMatchObject({ error: { code: -32600 } });
    }
    for (const m of [42, '', 'x'.repeat(1000)]) expect(await request(DAPP, m)).toMatchObject({ error: { code: -32600 } });
    for (const m of ['eth_sign', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'personal_sign']) {
      expect(await request(DAPP, m)).toEqual({ error: { code: 4200, message: `Unsupported method: ${m}` } });
    }
  });

  it('refuses a request without a real origin with 4100', async () => {
    const { request } = testBackground();
    for (const o of ['', 'not a url', 'http://dapp.test/path', 'null']) expect(await request(o, 'eth_chainId')).toMatchObject({ error: { code: 4100 } });
  });

  it('answers the chain id of the devnet read from its JSON, and 4901 when there is no network', async () => {
    expect(await testBackground().request(DAPP, 'eth_chainId')).toEqual({ result: '0x7a69' });
    expect(await testBackground().request(DAPP, 'net_version')).toEqual({ result: '31337' });
    expect(await testBackground({ devnet: false }).request(DAPP, 'eth_chainId')).toMatchObject({ error: { code: 4901 } });
  });

  it('shows no accounts to a site that is not connected, and refuses it what needs a connection (4100)', async () => {
    const { request } = testBackground();
    expect(await request(DAPP, 'eth_accounts')).toEqual({ result: [] });
    expect(await request(DAPP, 'wallet_getCapabilities', [ACCOUNT])).toMatchObject({ error: { code: 4100 } });
    expect(await request(DAPP, 'wallet_sendCalls', [{ version: '2.0.0', chainId: '0x7a69', calls: [{ to: ACCOUNT, value: '0x1' }] }])).toMatchObject({
      error: { code: 4100 },
    });
  });

  it('answers -32602 naming what is wrong in malformed params', async () => {
    const { request } = testBackground();
    const bad: [string, unknown, RegExp][] = [
      ['wallet_switchEthereumChain', [], /params/],
      ['wallet_switchEthereumChain', [{ chainId: 31337 }], /chainId/],
      ['wallet_switchEthereumChain', [{ chainId: '0x7a69', extra: 1 }], /Unrecognized key/],
      ['wallet_sendCalls', [{ chainId: '0x7a69', calls: [] }], /no calls/],
      ['wallet_sendCalls', [{ chainId: '0x7a69', calls: [{ to: '0x12' }] }], /an address/],
      ['wallet_getCallsStatus', ['nope'], /bundle id/],
      ['wallet_requestExecutionPermissions', {}, /array/],
      ['wallet_requestExecutionPermissions', [], /empty/],
      ['wallet_requestExecutionPermissions', periodic({ to: 'bob' }), /\[0\]\.to/],
      ['wallet_revokeExecutionPermission', { permissionContext: 'zz' }, /permissionContext/],
      ['eth_requestAccounts', [1], /no params/],
    ];
    for (const [method, params, message] of bad) {
      const r = await request(DAPP, method, params);
      expect(r, method).toMatchObject({ error: { code: -32602 } });
      expect('error' in r && r.error.message, `${method} ${JSON.stringify(params)}`).toMatch(message);
    }
  });

  it('gives the field and reason of a refused permission request as data', async () => {
    const r = await testBackground().request(
      DAPP,
      'wallet_requestExecutionPermissions',
      periodic({
        permission: { type: 'erc20-token-periodic', data: { tokenAddress: fakeDevnetJson.tokens.usdc, periodAmount: '0x0', periodDuration: 86400 } },
      }),
    );
    expect(r).toMatchObject({ error: { code: -32602, data: { field: '[0].permission.data.periodAmount' } } });
  });

  it('switches chains it knows (emitting chainChanged only on a change) and answers 4902 to others', async () => {
    const { request, events } = testBackground();
    expect(await request(DAPP, 'wallet_switchEthereumChain', [{ chainId: '0x1' }])).toMatchObject({ error: { code: 4902 } });
    expect(await request(DAPP, 'wallet_switchEthereumChain', [{ chainId: '0x7a69' }])).toEqual({ result: null });
    expect(events).toEqual([]);
  });

  it('refuses a permission request for another chain than the wallet is on (4901), before any window', async () => {
    const { request, opened } = testBackground();
    const r = await request(DAPP, 'wallet_requestExecutionPermissions', periodic({ chainId: '0x1' }));
    expect(r).toMatchObject({ error: { code: 4901 } });
    expect(opened).toEqual([]);
  });

  it('lists what it supports on each known chain', async () => {
    const r = await testBackground().request(DAPP, 'wallet_getSupportedExecutionPermissions');
    expect('result' in r && (r.result as Record<string, { chainIds: string[] }>)['erc20-token-periodic']!.chainIds).toEqual(['0x7a69']);
  });
});

describe('page requests that wait for the user', () => {
  it('opens one approval window per request and answers 4001 when the user rejects', async () => {
    const { bg, request, opened } = testBackground();
    const pending = request(DAPP, 'wallet_requestExecutionPermissions', periodic());
    await tick();
    expect(opened).toHaveLength(1);
    const r = await bg.handleUi({ type: 'approval:decide', decision: { id: opened[0]!, approve: false } });
    expect(r).toEqual({ ok: true });
    expect(await pending).toEqual({ error: { code: 4001, message: 'User rejected the request' } });
    // Decided once: a second answer changes nothing.
    expect(await bg.handleUi({ type: 'approval:decide', decision: { id: opened[0]!, approve: true } })).toMatchObject({ ok: false });
  });

  it('caps open windows per site (no popup storm), without blocking other sites', async () => {
    const { request, opened } = testBackground();
    const first = [1, 2, 3].map(() => request(DAPP, 'eth_requestAccounts'));
    await tick();
    expect(opened).toHaveLength(3);
    expect(await request(DAPP, 'eth_requestAccounts')).toMatchObject({ error: { code: -32002 } });
    void request(OTHER, 'eth_requestAccounts');
    await tick();
    expect(opened).toHaveLength(4);
    void first;
  });

  it('a repeated request (the relay after a service-worker stop) waits on the same approval', async () => {
    const { bg, opened } = testBackground();
    const msg = { target: 'functor:to-background', id: 'same-id', method: 'eth_requestAccounts', params: [], origin: DAPP };
    const a = bg.handleDapp(msg);
    await tick();
    const b = bg.handleDapp({ ...msg, retry: true });
    await tick();
    expect(opened).toHaveLength(1);
    await bg.handleUi({ type: 'approval:decide', decision: { id: opened[0]!, approve: false } });
    expect(await a).toMatchObject({ error: { code: 4001 } });
    expect(await b).toMatchObject({ error: { code: 4001 } });
  });

  it('keeps a pending request across a background restart: the new worker shows and answers it', async () => {
    const first = testBackground();
    void first.request(DAPP, 'wallet_requestExecutionPermissions', periodic());
    await tick();
    const id = first.opened[0]!;
    const second = testBackground({ store: first.store });
    const got = await second.bg.handleUi({ type: 'approval:get', id });
    expect(got).toMatchObject({ ok: true, view: { approval: { id, origin: DAPP, kind: 'permissions', state: 'open' }, locked: true } });
    const retried = second.bg.handleDapp({
      target: 'functor:to-background',
      id: 'r0',
      method: 'wallet_requestExecutionPermissions',
      params: periodic(),
      origin: DAPP,
      retry: true,
    });
    await second.bg.handleUi({ type: 'approval:decide', decision: { id, approve: false } });
    expect(await retried).toMatchObject({ error: { code: 4001 } });
    expect(second.opened).toEqual([]);
  });

  it('will not approve while the wallet is locked', async () => {
    const { bg, request, opened } = testBackground();
    void request(DAPP, 'eth_requestAccounts');
    await tick();
    expect(await bg.handleUi({ type: 'approval:decide', decision: { id: opened[0]!, approve: true } })).toEqual({
      ok: false,
      error: 'Unlock the wallet first',
    });
    expect(await bg.handleUi({ type: 'approval:get', id: opened[0]! })).toMatchObject({ ok: true, view: { approval: { state: 'open' } } });
  });
});

describe('origin isolation', () => {
  const context = encodeContext({
    chainId: 31337,
    account: ACCOUNT,
    keyId: 7n,
    validator: fakeDevnetJson.functor.validator as `0x${string}`,
    hook: fakeDevnetJson.functor.policyHook as `0x${string}`,
    kind: 'kernel',
  });
  const grant = {
    origin: DAPP,
    networkId: 'devnet',
    chainId: 31337,
    keyId: '7',
    type: 'erc20-token-periodic',
    signer: SESSION,
    controller: ACCOUNT,
    accounts: [{ kind: 'kernel', address: ACCOUNT }],
    responses: [{ context, chainId: '0x7a69' }],
    contexts: [context],
    createdAt: 1,
  };

  it('lists a site only its own grants', async () => {
    const { store, request } = testBackground();
    await store.set('grants', [grant]);
    expect(await request(DAPP, 'wallet_getGrantedExecutionPermissions')).toEqual({ result: [{ context, chainId: '0x7a69' }] });
    expect(await request(OTHER, 'wallet_getGrantedExecutionPermissions')).toEqual({ result: [] });
  });

  it("lets no site revoke another site's grant, and changes nothing", async () => {
    const { store, request } = testBackground();
    await store.set('grants', [grant]);
    expect(await request(OTHER, 'wallet_revokeExecutionPermission', { permissionContext: context })).toMatchObject({ error: { code: -32602 } });
    expect(await store.get('grants')).toEqual([grant]);
  });

  it("hides one site's call bundles from another", async () => {
    const { store, request } = testBackground();
    const id = `0x${'ab'.repeat(32)}`;
    await store.set('callBundles', { [id]: { origin: DAPP, networkId: 'devnet', chainId: 31337, userOpHash: id, from: ACCOUNT } });
    expect(await request(OTHER, 'wallet_getCallsStatus', [id])).toMatchObject({ error: { code: 5730 } });
  });

  it('shows a connected site its accounts only while unlocked', async () => {
    const { bg, store, request } = testBackground();
    await store.set('connections', { [DAPP]: { accounts: [ACCOUNT], connectedAt: 1 } });
    expect(await request(DAPP, 'eth_accounts')).toEqual({ result: [] });
    await bg.handleUi({ type: 'wallet:import', secret: `0x${'11'.repeat(32)}`, password: 'correct horse' });
    expect(await request(DAPP, 'eth_accounts')).toEqual({ result: [ACCOUNT] });
    expect(await request(OTHER, 'eth_accounts')).toEqual({ result: [] });
  });
});
