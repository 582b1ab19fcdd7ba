import { describe, expect, it } from 'vitest';
import { handleRpc } from './handleRpc.js';
import { RELAY_TARGET_BACKGROUND } from './messages.js';

const req = (method: unknown, params?: unknown) => ({ target: RELAY_TARGET_BACKGROUND, id: '1', method, params, origin: 'http://dapp.test' });

describe('handleRpc (the background boundary)', () => {
  it('answers eth_chainId and eth_accounts', async () => {
    expect(await handleRpc(req('eth_chainId'))).toEqual({ result: '0x7a69' });
    expect(await handleRpc(req('eth_accounts'))).toEqual({ result: [] });
  });

  it('lists the ERC-7715 permission types it supports', async () => {
    const r = await handleRpc(req('wallet_getSupportedExecutionPermissions'));
    expect('result' in r && Object.keys(r.result as object).sort()).toEqual([
      'erc20-token-allowance', 'erc20-token-periodic', 'erc20-token-stream', 'functor-calls',
      'native-token-allowance', 'native-token-periodic', 'native-token-stream',
    ]);
    expect('result' in r && (r.result as Record<string, { chainIds: string[] }>)['erc20-token-periodic']!.chainIds).toEqual(['0x7a69']);
  });

  it('answers 4200 to methods it does not support, including prototype names', async () => {
    for (const m of ['eth_sign', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await handleRpc(req(m))).toEqual({ error: { code: 4200, message: `Unsupported method: ${m}` } });
    }
  });

  it('answers -32600 to malformed messages, whatever their shape', async () => {
    const bad: unknown[] = [null, 42, 'x', [], {}, { ...req('eth_chainId'), target: 'other' }, { ...req('eth_chainId'), origin: '' }, req(42), req(''), req('x'.repeat(1000))];
    for (const m of bad) expect(await handleRpc(m)).toMatchObject({ error: { code: -32600 } });
  });
});
