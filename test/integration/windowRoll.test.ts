// A session op whose gas the bundler estimated in one bucket of a sliding window and that lands in
// the next one: the hook then rolls the window (moves the head bucket into the ring, expires the
// oldest), which the estimate did not pay for. Found by `npm run bench` at an hour boundary (the
// buckets of a 24-hour limit are an hour wide): the op ran out of call gas in execution, and the
// account paid for a failed transfer. The session account now gives the call gas itself when a
// bucket boundary of one of its sliding windows is near (lib/agent/callGas.ts), so the lib's
// agent and any viem or permissionless client get it: found again by CI at 02:00 UTC, when a plain
// permissionless client's transfer on Safe7579 failed that way (test/integration/viemAccount.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Address, http, toHex } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { createSmartAccountClient } from 'permissionless';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import type { Call } from '../../lib/functorMode.js';
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

/** The account of `kind` (Functor installed once), with a fresh key allowed USDC transfers under a 24-hour sliding limit of 100. */
const accounts = new Map<AccountKind, Promise<Awaited<ReturnType<World['ownerWithFunctor']>>>>();
async function grantedAccount(kind: AccountKind, label: string) {
  if (!accounts.has(kind)) accounts.set(kind, w.ownerWithFunctor(kind));
  const o = await accounts.get(kind)!;
  const agent = w.newAgent();
  const salt = w.salt(`${label}-${kind}`);
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
          gas: await gasDefaults(w.pub, { kind: kind, calls: 5, now: await w.now() }),
        },
        0n,
      ),
    },
  ]);
  return { account: o.account.address, keyId, agent };
}

/**
 * Still in the window's head bucket, 20 s before its end: the chain's latest block (which the
 * bundler estimates on) is there, and the next block, where the op lands, is 20 s past the boundary.
 */
async function toJustBeforeABoundary(): Promise<number> {
  const t = await w.now();
  let boundary = (Math.floor(t / WIDTH) + 1) * WIDTH;
  // Already within 20 s of this bucket's end (a slow run got there): the next bucket's end instead
  // (time only moves forward).
  if (boundary - 20 - t < 1) boundary += WIDTH;
  await w.increaseTime(boundary - 20 - t);
  expect(Math.floor((await w.now()) / WIDTH)).toBe(boundary / WIDTH - 1);
  await w.pub.request({ method: 'evm_setNextBlockTimestamp' as never, params: [toHex(boundary + 20)] as never });
  return boundary;
}

const bundlerFees = async () => (await createPimlicoClient({ transport: http(w.c.bundlerUrl) }).getUserOperationGasPrice()).fast;

/** Sends `calls` with the session account through a client of the kind named, to its receipt. */
type Sender = (
  kind: AccountKind,
  g: Awaited<ReturnType<typeof grantedAccount>>,
  calls: Call[],
) => Promise<{ success: boolean; transactionHash: `0x${string}`; why: string }>;
const senders: Record<string, Sender> = {
  "the lib's agent (sendCalls)": async (kind, g, calls) => {
    const res = await (await w.agentClient(kind, g.account, g.keyId, g.agent)).send(calls);
    const why = JSON.stringify(res, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    return { success: res.ok, transactionHash: (res.transactionHash ?? '0x') as `0x${string}`, why };
  },
  "viem's createBundlerClient": async (kind, g, calls) => {
    const session = await sessionOf(kind, g);
    const bundler = createBundlerClient({ client: w.pub, transport: http(w.c.bundlerUrl), userOperation: { estimateFeesPerGas: bundlerFees } });
    const receipt = await bundler.waitForUserOperationReceipt({ hash: await bundler.sendUserOperation({ account: session, calls }) });
    return { success: receipt.success, transactionHash: receipt.receipt.transactionHash, why: `${receipt.reason ?? 'reverted'}` };
  },
  "permissionless's createSmartAccountClient": async (kind, g, calls) => {
    const client = createSmartAccountClient({
      account: await sessionOf(kind, g),
      chain: w.net.chain,
      client: w.pub,
      bundlerTransport: http(w.c.bundlerUrl),
      userOperation: { estimateFeesPerGas: bundlerFees },
    });
    const receipt = await client.waitForUserOperationReceipt({ hash: await client.sendUserOperation({ calls }) });
    return { success: receipt.success, transactionHash: receipt.receipt.transactionHash, why: `${receipt.reason ?? 'reverted'}` };
  },
};

function sessionOf(kind: AccountKind, g: Awaited<ReturnType<typeof grantedAccount>>) {
  const context = { kind, account: g.account, keyId: g.keyId, module: w.c.functor.policyHook, entryPoint: w.c.entryPoint };
  return toFunctorSessionAccount({ client: w.pub, context, signer: g.agent });
}

describe.each(ACCOUNT_KINDS)('%s account', (kind) => {
  const k = ACCOUNT_KINDS.indexOf(kind);
  describe.each(Object.keys(senders))('%s', (by) => {
    const send = senders[by]!;
    it.each([1, 5])('%i transfer(s) estimated just before a bucket boundary of the sliding limit land after it', async (n) => {
      const g = await grantedAccount(kind, `roll-${Object.keys(senders).indexOf(by)}-${n}`);
      const bob = toHex(0xb0b000 + 100 * k + 10 * Object.keys(senders).indexOf(by) + n, { size: 20 }) as Address;
      // A first spend: the window's head bucket holds it.
      expect((await send(kind, g, [w.transfer(bob, USDC(1))])).success).toBe(true);
      const boundary = await toJustBeforeABoundary();
      const res = await send(
        kind,
        g,
        Array.from({ length: n }, () => w.transfer(bob, USDC(2))),
      );
      expect(res.success, res.why).toBe(true);
      expect(await w.usdcBalance(bob)).toBe(USDC(1) + BigInt(n) * USDC(2));
      // It did land after the boundary, in the next bucket.
      const block = await w.pub.getBlock({ blockNumber: (await w.pub.getTransactionReceipt({ hash: res.transactionHash })).blockNumber });
      expect(Number(block.timestamp)).toBeGreaterThanOrEqual(boundary);
    });
  });
});
