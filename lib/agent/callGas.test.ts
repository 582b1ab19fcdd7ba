import { createClient, custom, decodeFunctionData, encodeFunctionResult, getAddress, numberToHex, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { functorPolicyHookAbi } from '../abi/generated.js';
import type { AccountKind } from '../accounts/kinds.js';
import { toPolicies } from '../permissions/codec.js';
import type { Permission } from '../permissions/types.js';
import {
  CALL_IN_BATCH_GAS,
  CUSTOM_POLICY_GAS,
  KEYED_EXECUTION_GAS,
  keyedExecutionGas,
  RATE_LIMIT_GAS,
  SESSION_CALL_GAS_FLOOR,
  sessionCallGas,
  SPEND_LIMIT_GAS,
  VALUE_CALL_GAS,
} from './callGas.js';
import { ROLL_CALL_GAS } from './windowRoll.js';

const a = (n: number) => getAddress(`0x${n.toString(16).padStart(40, '0')}`);
const ACCOUNT = a(0xacc);
/** The module: the key's validator and its hook (FunctorPolicyHook). */
const HOOK = a(0x11);
const USDC = a(0x05);
const BOB = a(0xb0b);
const DEPENDS = a(0xde); // a call that only works after an earlier one: it cannot be estimated alone
const HOUR = 3_600;
/** An hour boundary (a 24-hour window's buckets are an hour wide), far in the future. */
const BOUNDARY = 1_900_000_000 - (1_900_000_000 % HOUR);

const permission: Permission = {
  calls: [{ to: USDC, selector: '0xa9059cbb' }],
  spend: [{ token: USDC, limit: 100n, period: { kind: 'sliding', seconds: 24 * HOUR } }],
  gas: { maxFeePerGas: 1n, maxCostPerOp: 1n, maxOps: 1 },
};

/**
 * A stand-in chain (no node here): the module answers policiesOf with
 * `permission`, the latest block is at `now`, and eth_estimateGas gives 21,000 + 30,000 for a call
 * from the account with data, 21,000 for a plain transfer of value, and reverts for DEPENDS.
 */
function chain(now: number) {
  return createClient({
    transport: custom(
      {
        async request({ method, params }: { method: string; params: unknown[] }) {
          if (method === 'eth_chainId') return '0x1';
          if (method === 'eth_getBlockByNumber') return { number: '0x1', timestamp: numberToHex(now), hash: `0x${'11'.repeat(32)}`, transactions: [] };
          const { from, to, data } = params[0] as { from?: Address; to: Address; data?: Hex };
          if (method === 'eth_estimateGas') {
            expect(getAddress(from!)).toBe(ACCOUNT);
            if (getAddress(to) === DEPENDS) throw Object.assign(new Error('execution reverted'), { code: 3, data: '0x' });
            return numberToHex(data && data !== '0x' ? 51_000 : 21_000);
          }
          if (method !== 'eth_call') throw new Error(`unexpected ${method}`);
          if (getAddress(to) === a(0x99)) throw Object.assign(new Error('execution reverted'), { code: 3, data: '0x' });
          expect(getAddress(to)).toBe(HOOK);
          expect(decodeFunctionData({ abi: functorPolicyHookAbi, data: data! }).functionName).toBe('policiesOf');
          return encodeFunctionResult({ abi: functorPolicyHookAbi, functionName: 'policiesOf', result: toPolicies(permission, 0n) });
        },
      },
      { retryCount: 0 },
    ),
  });
}

const context = (kind: AccountKind) => ({ kind, account: ACCOUNT, keyId: 7n, module: HOOK, entryPoint: a(0xe0) });
const transfer = { to: USDC, data: '0xa9059cbb' as Hex };
const FAR = BOUNDARY + HOUR / 2;
const NEAR = BOUNDARY - 20;

describe('sessionCallGas', () => {
  it('leaves Nexus and Safe7579 to the bundler far from a boundary', async () => {
    for (const kind of ['nexus', 'safe'] as const) expect(await sessionCallGas(chain(FAR), context(kind), [transfer])).toBeUndefined();
  });

  it('gives Kernel its own figure always: each call less the transaction, plus the call in a batch and the keyed execution', async () => {
    const perCall = 30_000n + CALL_IN_BATCH_GAS;
    expect(await sessionCallGas(chain(FAR), context('kernel'), [transfer])).toBe(KEYED_EXECUTION_GAS + perCall);
    expect(await sessionCallGas(chain(FAR), context('kernel'), [transfer, transfer, transfer])).toBe(KEYED_EXECUTION_GAS + 3n * perCall);
  });

  it('near a boundary, every kind gets its own figure plus the roll margin', async () => {
    for (const kind of ['kernel', 'nexus', 'safe'] as const) {
      expect(await sessionCallGas(chain(NEAR), context(kind), [transfer])).toBe(KEYED_EXECUTION_GAS + 30_000n + CALL_IN_BATCH_GAS + ROLL_CALL_GAS);
    }
  });

  it('counts what a call with value pays inside the batch and not alone', async () => {
    expect(await sessionCallGas(chain(FAR), context('kernel'), [{ to: BOB, value: 1n }])).toBe(KEYED_EXECUTION_GAS + CALL_IN_BATCH_GAS + VALUE_CALL_GAS);
  });

  it('falls back to the flat figure when a call cannot be estimated alone, or the calls are unknown', async () => {
    expect(await sessionCallGas(chain(FAR), context('kernel'), [transfer, { to: DEPENDS, data: '0x01' }])).toBe(SESSION_CALL_GAS_FLOOR);
    expect(await sessionCallGas(chain(NEAR), context('safe'), undefined)).toBe(SESSION_CALL_GAS_FLOOR + ROLL_CALL_GAS);
  });

  it("adds what a dearer key's policies cost: more spend limits, a rate limit, custom policies", () => {
    const one = toPolicies(permission, 0n);
    expect(keyedExecutionGas(one)).toBe(KEYED_EXECUTION_GAS);
    const spends = [0, 1, 2].map((i) => ({ ...one.spends[0]!, token: a(0x50 + i) }));
    expect(keyedExecutionGas({ ...one, spends })).toBe(KEYED_EXECUTION_GAS + 2n * SPEND_LIMIT_GAS);
    expect(keyedExecutionGas({ ...one, spends: [], rate: { maxCalls: 5, period: 60 } })).toBe(KEYED_EXECUTION_GAS + RATE_LIMIT_GAS);
    expect(keyedExecutionGas({ ...one, customs: [a(0xc1), a(0xc2)] })).toBe(KEYED_EXECUTION_GAS + 2n * CUSTOM_POLICY_GAS);
  });

  it("leaves the figure to the bundler (Kernel: the flat one) when the module is not Functor's", async () => {
    const probe = { ...context('nexus'), module: a(0x99) };
    expect(await sessionCallGas(chain(NEAR), probe, [transfer])).toBeUndefined();
    expect(await sessionCallGas(chain(NEAR), { ...probe, kind: 'kernel' }, [transfer])).toBe(SESSION_CALL_GAS_FLOOR);
  });
});
