// Issue 5: the timeline stays responsive with 10,000 audit events read through the real reader
// from a real RPC. 10,000 KeyExecuted events (the hook's exact event) are seeded on the devnet by a
// tiny emitter contract (the reader is pointed at it as "the hook"); readHistory reads them from
// anvil, and the Timeline renders its first page. Times are printed, not asserted on.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createWalletClient, getAddress, http, keccak256, pad, parseUnits, toEventSelector, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { devnetChain, publicClientFor } from '../../lib/accounts/clients.js';
import { keyExecuted, readHistory } from '../../lib/audit/history.js';
import { encodeRecord, recordData } from '../../lib/audit/auditWords.js';
import { Timeline } from '../../components/audit/Timeline.js';

/**
 * Runtime code: calldata = n ‖ topic0 ‖ topic1 ‖ topic2 ‖ topic3 ‖ data; emits LOG4(data, topics)
 * n times. Hand-assembled (no compiler needed for eleven instructions' worth of loop).
 */
const RUNTIME: Hex = (() => {
  const op = (...b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join('');
  const code =
    op(0x60, 0xa0, 0x36, 0x03) + // size = CALLDATASIZE - 0xa0
    op(0x80, 0x60, 0xa0, 0x60, 0x00, 0x37) + // CALLDATACOPY(0, 0xa0, size)
    op(0x60, 0x00, 0x35) + // i = n
    op(0x5b) + // loop (pc 13)
    op(0x80, 0x15, 0x60, 0x2a, 0x57) + // if i == 0 goto end
    op(0x60, 0x80, 0x35, 0x60, 0x60, 0x35, 0x60, 0x40, 0x35, 0x60, 0x20, 0x35) + // t3 t2 t1 t0
    op(0x85, 0x60, 0x00, 0xa4) + // LOG4(0, size, t0..t3)
    op(0x60, 0x01, 0x90, 0x03) + // i = i - 1
    op(0x60, 0x0d, 0x56) + // goto loop
    op(0x5b, 0x00); // end (pc 42): STOP
  return `0x${code}`;
})();

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({});
});
afterAll(async () => devnet?.stop());

describe('the audit trail at scale', () => {
  it('10,000 events: read through the real reader from anvil, first page rendered (times printed)', async () => {
    const c = devnet.config;
    const net = { chain: devnetChain(c.chainId, c.rpcUrl), rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint };
    const pub = publicClientFor(net);
    const emitter = getAddress(`0x${keccak256(toHex('functor audit seeder')).slice(26)}`);
    await pub.request({ method: 'anvil_setCode' as never, params: [emitter, RUNTIME] as never });
    const account = getAddress('0x1111111111111111111111111111111111111111');
    const keyId = 7n;
    const signer = pad('0x2222222222222222222222222222222222222222', { size: 32 });
    const record = encodeRecord(
      [{ target: c.tokens.usdc, selector: '0xa9059cbb', value: 0n }],
      [{ token: c.tokens.usdc, counted: parseUnits('1', 6), used: parseUnits('1', 6), limit: parseUnits('100', 6) }],
    );
    const data = recordData(record);
    const topics = [toEventSelector(keyExecuted), pad(account, { size: 32 }), pad(toHex(keyId), { size: 32 }), signer];
    const wallet = createWalletClient({ chain: net.chain, transport: http(c.rpcUrl), account: privateKeyToAccount(c.owners[0]!.privateKey) });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) {
      const hash = await wallet.sendTransaction({
        to: emitter,
        data: `0x${[pad(toHex(2_000), { size: 32 }), ...topics].map((t) => t.slice(2)).join('')}${data.slice(2)}`,
        gas: 25_000_000n,
      });
      expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success');
    }
    const seeded = performance.now() - t0;

    const t1 = performance.now();
    const { entries, total } = await readHistory(pub, { hook: emitter, entryPoint: c.entryPoint, keyId });
    const read = performance.now() - t1;
    expect(total).toBe(10_000);
    expect(entries[0]).toMatchObject({ kind: 'executed', account, keyId });
    // The packed words decoded back into what was logged.
    expect(entries[0]).toMatchObject({
      calls: [{ target: c.tokens.usdc, selector: '0xa9059cbb', value: 0n }],
      spends: [{ token: c.tokens.usdc, counted: parseUnits('1', 6), used: parseUnits('1', 6), limit: parseUnits('100', 6) }],
    });

    const t2 = performance.now();
    // Rendered to HTML (the integration project runs in Node: a DOM shim would replace the fetch
    // the devnet needs); the component tests render it in a DOM too.
    const html = renderToString(createElement(Timeline, { entries, tokens: { [c.tokens.usdc.toLowerCase()]: { symbol: 'USDC', decimals: 6 } } }));
    const rendered = performance.now() - t2;
    expect(html.replace(/<!-- -->/g, '')).toContain('1–50 of 10,000');
    expect(html.match(/<li/g)?.length).toBe(50);
    console.log(
      `audit at scale: 10,000 KeyExecuted events seeded in ${(seeded / 1000).toFixed(1)} s; read through readHistory from anvil in ${read.toFixed(0)} ms; first page of the Timeline rendered in ${rendered.toFixed(0)} ms`,
    );
  });
});
