// A session op whose gas the bundler estimated in one bucket of a sliding window and that lands in
// the next one: the hook then rolls the window (moves the head bucket into the ring, expires the
// oldest), which the estimate did not pay for. Found by `npm run bench` at an hour boundary (the
// buckets of a 24-hour limit are an hour wide): the op ran out of call gas in execution, and the
// account paid for a failed transfer. The agent now adds call gas for a roll when a bucket boundary
// of one of its sliding windows is near (lib/agent/windowRoll.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Address, toHex } from 'viem';
import { ACCOUNT_KINDS } from '../../lib/accounts/kinds.js';
import { functorInstallCalls } from '../../lib/accounts/functorModules.js';
import { registerCall, selfAuth } from '../../lib/keystore/calls.js';
import { ecdsaSignerId, keyIdFor } from '../../lib/keystore/ids.js';
import { encodeSetPolicies, gasDefaults, selectorOf } from '../../lib/permissions/index.js';
import { DAY, setUpWorld, USDC, type World } from './harness.js';

let w: World;
beforeAll(async () => {
  w = await setUpWorld();
});
afterAll(async () => {
  await w?.devnet.stop();
});

/** The bucket width of a 24-hour sliding window (SlidingWindow: period / 24, rounded up). */
const WIDTH = DAY / 24;

describe.each(ACCOUNT_KINDS)('%s account', (kind) => {
  it('an op estimated just before a bucket boundary of its sliding limit lands after it', async () => {
    const o = await w.ownerAccount(kind);
    await w.ownerSend(o, [w.mint(o.account.address, USDC(1_000))]);
    const f = { validator: w.c.functor.validator, policyHook: w.c.functor.policyHook };
    await w.ownerSend(o, await functorInstallCalls(kind, o.account, f));
    const agent = w.newAgent();
    const salt = w.salt(`roll-${kind}`);
    const keyId = keyIdFor(o.account.address, salt);
    await w.ownerSend(o, [
      registerCall(w.c.functor.keyStore, salt, [ecdsaSignerId(agent.address)], [selfAuth(o.account.address)]),
      {
        to: w.c.functor.policyHook,
        data: encodeSetPolicies(
          keyId,
          {
            calls: [{ to: w.c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') }],
            spend: [{ token: w.c.tokens.usdc, limit: USDC(100), period: { kind: 'sliding', seconds: DAY } }],
            expiry: (await w.now()) + 30 * DAY,
            gas: await gasDefaults(w.pub, { kind: kind, calls: 1, now: await w.now() }),
          },
          0n,
        ),
      },
    ]);
    const api = await w.agentClient(kind, o.account.address, keyId, agent);
    const bob = `0x00000000000000000000000000000000000b0b1${ACCOUNT_KINDS.indexOf(kind)}` as Address;

    // A first spend: the window's head bucket holds it.
    expect((await api.send([w.transfer(bob, USDC(1))])).ok).toBe(true);
    // Still in that bucket, 20 s before its end: the chain's latest block (which the bundler
    // estimates on) is there, and the next block, where the op lands, is 20 s past the boundary.
    const t = await w.now();
    const boundary = (Math.floor(t / WIDTH) + 1) * WIDTH;
    await w.increaseTime(boundary - 20 - t);
    expect(Math.floor((await w.now()) / WIDTH)).toBe(Math.floor(t / WIDTH));
    await w.pub.request({ method: 'evm_setNextBlockTimestamp' as never, params: [toHex(boundary + 20)] as never });

    const res = await api.send([w.transfer(bob, USDC(2))]);
    expect(
      res.ok,
      JSON.stringify(res, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ).toBe(true);
    expect(await w.usdcBalance(bob)).toBe(USDC(3));
    // It did land after the boundary, in the next bucket.
    if (res.ok) {
      const block = await w.pub.getBlock({ blockNumber: (await w.pub.getTransactionReceipt({ hash: res.transactionHash })).blockNumber });
      expect(Number(block.timestamp)).toBeGreaterThanOrEqual(boundary);
    }
  });
});
