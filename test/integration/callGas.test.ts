// The session account's own call gas (lib/agent/callGas.ts) against what the execution really uses,
// read from the call trace of each landed bundle: the EntryPoint's call into the account (`execute`,
// or Kernel's `executeUserOp`) must fit in the figure the account would give for the same calls
// under the same key, on each kind, for a key's first op (its window written from zero, new
// recipients), a steady one, a batch of five, and a dearer key (two limits, one of them native
// value to a new address, and a rate limit). Kernel sends every op with that figure; Nexus and
// Safe7579 near a window's boundary. The figure is also far under the flat 300,000 Kernel used to
// carry: the account pays 10% of the call gas it leaves unused.
import { type Address, getAddress, parseEther, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { accountCallGas, SESSION_CALL_GAS_FLOOR } from '../../lib/agent/callGas.js';
import type { Call } from '../../lib/functorMode.js';
import { gasDefaults, selectorOf } from '../../lib/permissions/index.js';
import { DAY, setUpWorld, USDC, type World } from './harness.js';

let w: World;
beforeAll(async () => {
  w = await setUpWorld();
});
afterAll(async () => {
  await w?.devnet.stop();
});

type Frame = { from: string; to?: string; gasUsed: Hex; calls?: Frame[] };
type Hex = `0x${string}`;

/** The gas the EntryPoint's call into `account` used in the bundle `tx` (one op per bundle). */
async function executionGas(tx: Hex, account: Address): Promise<bigint> {
  const trace = (await w.pub.request({ method: 'debug_traceTransaction' as never, params: [tx, { tracer: 'callTracer' }] as never })) as Frame;
  const found: Frame[] = [];
  const walk = (f: Frame) => {
    if (f.to && getAddress(f.to) === getAddress(account) && getAddress(f.from) === getAddress(w.c.entryPoint)) found.push(f);
    f.calls?.forEach(walk);
  };
  walk(trace);
  // validateUserOp, then the execution.
  expect(found).toHaveLength(2);
  return BigInt(found[1]!.gasUsed);
}

let next = 0x100;
const fresh = () => toHex(0xca11000 + next++, { size: 20 }) as Address;

describe.each(ACCOUNT_KINDS)('%s: the account’s call gas covers the execution', (kind: AccountKind) => {
  let o: Awaited<ReturnType<World['ownerWithFunctor']>>;
  beforeAll(async () => {
    o = await w.ownerWithFunctor(kind);
  });

  async function check(keyId: bigint, agent: ReturnType<World['newAgent']>, account: Address, calls: Call[]) {
    const context = { kind, account, keyId, module: w.c.functor.policyHook, entryPoint: w.c.entryPoint };
    const figure = await accountCallGas(w.pub, context, calls);
    expect(figure, 'the figure was read').toBeDefined();
    const res = await (await w.agentClient(kind, account, keyId, agent)).send(calls);
    expect(
      res.ok,
      JSON.stringify(res, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ).toBe(true);
    const used = await executionGas(res.ok ? res.transactionHash : '0x', account);
    // With a tenth of the figure spare (the roll margin not counted: it is for a roll, which these ops may not meet).
    expect(used * 10n, `execution used ${used}, the account's figure ${figure!.gas}`).toBeLessThan((figure!.gas - figure!.margin) * 9n);
    return { used, figure: figure!.gas };
  }

  it('one sliding limit: first op, steady op, a batch of five to new recipients', async () => {
    const agent = w.newAgent();
    const keyId = await w.grantKey(o, `gas-${kind}`, agent.address, await w.usdcPermission(kind));
    const bob = fresh();
    const first = await check(keyId, agent, o.account.address, [w.transfer(bob, USDC(1))]);
    const steady = await check(keyId, agent, o.account.address, [w.transfer(bob, USDC(1))]);
    const batch = await check(
      keyId,
      agent,
      o.account.address,
      Array.from({ length: 5 }, () => w.transfer(fresh(), USDC(1))),
    );
    // Far under the flat figure Kernel carried for a single transfer; less once the recipient holds USDC.
    expect(first.figure).toBeLessThan(SESSION_CALL_GAS_FLOOR - 100_000n);
    expect(steady.figure).toBeLessThan(first.figure);
    console.log(
      `${kind}: execution used / account's figure: first ${first.used} / ${first.figure}, steady ${steady.used} / ${steady.figure}, batch of 5 ${batch.used} / ${batch.figure}`,
    );
  });

  it('a dearer key: USDC and native value limits, a rate limit; a transfer and value to a new address', async () => {
    const agent = w.newAgent();
    const t = await w.now();
    const keyId = await w.grantKey(o, `gas2-${kind}`, agent.address, {
      calls: [
        { to: w.c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') },
        { to: 'any', selector: 'value' },
      ],
      spend: [
        { token: w.c.tokens.usdc, limit: USDC(100), period: { kind: 'sliding', seconds: DAY } },
        { token: 'native', limit: parseEther('1'), period: { kind: 'sliding', seconds: DAY } },
      ],
      rate: { maxCalls: 50, seconds: DAY },
      expiry: t + 7 * DAY,
      gas: await gasDefaults(w.pub, { kind, calls: 2, now: t }),
    });
    const dear = await check(keyId, agent, o.account.address, [w.transfer(fresh(), USDC(1)), { to: fresh(), value: 1n }]);
    console.log(`${kind}: dearer key, execution used / account's figure: ${dear.used} / ${dear.figure}`);
  });
});
