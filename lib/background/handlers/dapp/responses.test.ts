// Each dapp method's answer matches its Response schema (lib/protocol/rpc/<method>.ts), for the
// methods a chain-less test background can answer; and the table and the schemas name the same
// methods.
import { getAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import * as rpc from '../../../protocol/rpc/index.js';
import type { Approval } from '../../approvals.js';
import { asksOf, storeAsks } from '../../asks.js';
import { fakeDevnetJson, testBackground } from '../../testing.js';
import { dappHandlers } from './index.js';

const DAPP = 'http://dapp.test';
const ACCOUNT = getAddress('0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
const SESSION = getAddress('0x5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7');
const NOW = 1_795_342_800;
const f = fakeDevnetJson.functor as Record<string, `0x${string}`>;
const context = { chainId: 31337, account: ACCOUNT, keyId: 7n, validator: f.validator!, hook: f.policyHook!, kind: 'kernel' as const };
const approval = (method: string, request: unknown): Approval => ({
  id: '1',
  origin: DAPP,
  kind: 'permissions',
  method,
  createdAt: 0,
  state: 'open',
  progress: [],
  params: storeAsks(method, request, { now: NOW, chainId: 31337, chainFeePerGas: 2_000_000_000n }),
});

describe('dapp methods: one handler per schema namespace', () => {
  it('the table answers exactly the methods lib/protocol/rpc describes', () => {
    expect(Object.keys(dappHandlers).sort()).toEqual(Object.keys(rpc).sort());
    for (const [method, h] of Object.entries(dappHandlers)) expect(h.schema).toBe(rpc[method as keyof typeof rpc]);
  });

  it('answers in the shape its Response schema says', async () => {
    const { bg, store, request } = testBackground();
    await store.set('connections', { [DAPP]: { accounts: [ACCOUNT], connectedAt: 1 } });
    await bg.handleUi({ type: 'wallet:import', secret: `0x${'11'.repeat(32)}`, password: 'correct horse' });
    const asked: [keyof typeof rpc, unknown][] = [
      ['eth_chainId', undefined],
      ['net_version', undefined],
      ['eth_accounts', undefined],
      ['wallet_getCapabilities', [ACCOUNT]],
      ['wallet_getSupportedExecutionPermissions', undefined],
      ['wallet_getGrantedExecutionPermissions', []],
      ['wallet_switchEthereumChain', [{ chainId: '0x7a69' }]],
    ];
    for (const [method, params] of asked) {
      const answer = await request(DAPP, method, params);
      expect(answer, method).toHaveProperty('result');
      const parsed = rpc[method].Response.safeParse((answer as { result: unknown }).result);
      expect(parsed.success, `${method}: ${JSON.stringify(parsed.error?.issues[0])}`).toBe(true);
    }
  });

  it('answers a granted permission in the shape of the method that asked (as approved/permissions.ts builds it)', () => {
    const usdc = fakeDevnetJson.tokens.usdc;
    const erc7715 = [
      {
        chainId: toHex(31337),
        to: SESSION,
        permission: {
          type: 'erc20-token-periodic',
          isAdjustmentAllowed: true,
          data: { tokenAddress: usdc, periodAmount: toHex(100_000_000n), periodDuration: 86400 },
        },
      },
    ];
    const draft = [
      {
        expiry: NOW + 86400,
        signer: { type: 'account', data: { id: SESSION } },
        permissions: [{ type: 'erc20-token-transfer', data: { address: usdc }, policies: [{ type: 'token-allowance', data: { allowance: toHex(5n) } }] }],
      },
    ];
    const granted = asksOf(approval('wallet_requestExecutionPermissions', erc7715)).map((t) => t.respond(context));
    expect(rpc.wallet_requestExecutionPermissions.Response.safeParse(granted).error).toBeUndefined();
    const [draftAsk] = asksOf(approval('wallet_grantPermissions', draft));
    expect(rpc.wallet_grantPermissions.Response.safeParse(draftAsk!.respond(context)).error).toBeUndefined();
    expect(rpc.wallet_getGrantedExecutionPermissions.Response.safeParse([...granted, draftAsk!.respond(context)]).error).toBeUndefined();
  });
});
