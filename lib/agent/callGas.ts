// The call gas of a session op, where the account gives it rather than the bundler. The session
// account (sessionAccount.ts) runs this before the bundler estimates, and viem keeps what it gives,
// so every viem or permissionless client gets it, not only the lib's own `sendCalls`.
//
// - Kernel, always: Alto estimates an op routed through `executeUserOp` (where the hook runs) far
//   too low (18k for a transfer that needs well over 100k): it does not simulate the call the way
//   the EntryPoint makes it, and the op would run out of gas in execution.
// - Nexus and Safe7579, near a bucket boundary of one of the key's sliding windows (windowRoll.ts):
//   the bundler estimates on the chain as it is now; an op that lands after the boundary also pays
//   for the window's roll, which the estimate missed, and runs out of call gas: the transfer fails
//   and the account pays for it. Far from a boundary the bundler's tight estimate stands.
//
// The account's figure is each call estimated alone from the account (less the transaction's own
// 21,000, plus what the call costs inside a keyed batch), plus the keyed execution around them,
// plus the roll margin when a boundary is near. It is not tight: unused call gas costs the
// account 10% of it (EntryPoint v0.7's penalty), which is why Nexus and Safe7579 keep the bundler's
// figure when they can, and why Kernel no longer takes a flat 300k.
import { type Address, type Client } from 'viem';
import { estimateGas, getBlock, readContract } from 'viem/actions';
import { functorPolicyHookAbi } from '../abi/generated.js';
import type { Call } from '../functorMode.js';
import type { PoliciesStruct } from '../permissions/codec.js';
import type { SessionContext } from '../permissions/context.js';
import { rollMargin, slidingPeriods } from './windowRoll.js';

/**
 * What a keyed execution costs beyond its calls, at most, for a key with one spend limit: the
 * EntryPoint's call into the account, the account's `execute` (Kernel: `executeUserOp`), the hook's
 * preCheck and postCheck with their cold slots, the window's write (from zero on the key's first op)
 * and the audit event. `test/integration/callGas.test.ts` measures the execution from the call trace
 * on each kind (first op, steady op, batch of five, a dearer key) and fails unless the account's
 * figure leaves a tenth of it spare.
 */
export const KEYED_EXECUTION_GAS = 120_000n;
/** Each spend limit beyond the first: the token's balance read before and after (cold at first), the window's cold read and its write (from zero on the key's first op). */
export const SPEND_LIMIT_GAS = 30_000n;
/** A rate limit: its window's cold read and write (from zero on the key's first op). */
export const RATE_LIMIT_GAS = 25_000n;
/** A custom policy contract, called before and after: the account cannot know its cost, only allow for a plain one. */
export const CUSTOM_POLICY_GAS = 100_000n;

/**
 * A call inside the batch against the same call sent alone (what eth_estimateGas measures): without
 * the transaction's 21,000; with the call to a target that is not warm yet (2,600) and the hook's
 * and the account's work per call (the bench's extra call in a batch: under 3,000), rounded up.
 */
export const CALL_IN_BATCH_GAS = 7_600n;
const TX_INTRINSIC_GAS = 21_000n;
/** A call with value inside the batch pays CALL's value transfer (9,000) and, to an empty account, 25,000 more; alone, neither. */
export const VALUE_CALL_GAS = 34_000n;

/**
 * The call gas when the calls cannot be estimated one by one (a call that only works after an
 * earlier one in the batch), or none are known: a flat figure, which a caller whose calls need more
 * raises by passing `callGasLimit` to `sendUserOperation` (that wins over the account's).
 */
export const SESSION_CALL_GAS_FLOOR = 300_000n;

/** The key's policies on the account (the module that validates its ops is its hook) and the chain's time now. */
async function policiesNow(chain: Client, context: SessionContext) {
  const [policies, block] = await Promise.all([
    readContract(chain, { address: context.module, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [context.account, context.keyId] }),
    getBlock(chain),
  ]);
  return { policies, now: Number(block.timestamp) };
}

/**
 * The roll margin alone, for gas estimated elsewhere (the ERC-7710 redemption, a plain transaction):
 * 0 when no window is near a boundary or the module is not Functor's (no policies to read).
 */
export async function rollMarginNow(chain: Client, context: SessionContext): Promise<bigint> {
  return (await accountCallGas(chain, context, undefined))?.margin ?? 0n;
}

/** What the keyed execution around the calls costs for these policies, at most. */
export function keyedExecutionGas(p: Pick<PoliciesStruct, 'spends' | 'rate' | 'customs'>): bigint {
  const limits = BigInt(Math.max(0, p.spends.length - 1));
  return KEYED_EXECUTION_GAS + limits * SPEND_LIMIT_GAS + (p.rate.maxCalls !== 0 ? RATE_LIMIT_GAS : 0n) + BigInt(p.customs.length) * CUSTOM_POLICY_GAS;
}

/** The calls' own gas inside the batch, from each estimated alone from the account; undefined when one cannot be estimated alone. */
async function callsGas(chain: Client, account: Address, calls: readonly Call[]): Promise<bigint | undefined> {
  return Promise.all(
    calls.map(async (c) => {
      const alone = await estimateGas(chain, { account, to: c.to, data: c.data, value: c.value });
      return alone - TX_INTRINSIC_GAS + CALL_IN_BATCH_GAS + (c.value ? VALUE_CALL_GAS : 0n);
    }),
  ).then(
    (gas) => gas.reduce((a, b) => a + b, 0n),
    () => undefined,
  );
}

/**
 * The account's own figure for these calls under the key's policies now, the roll margin included;
 * undefined when the module is not Functor's (a probe, another module): nothing to read.
 */
export async function accountCallGas(chain: Client, context: SessionContext, calls: readonly Call[] | undefined) {
  const read = await policiesNow(chain, context).catch(() => undefined);
  if (!read) return undefined;
  const margin = rollMargin(slidingPeriods(read.policies), read.now);
  const own = calls && calls.length > 0 ? await callsGas(chain, context.account, calls) : undefined;
  // The flat figure covers unknown calls and a one-limit execution; a dearer key's policies add on top.
  return { gas: (own ?? SESSION_CALL_GAS_FLOOR - KEYED_EXECUTION_GAS) + keyedExecutionGas(read.policies) + margin, margin };
}

/**
 * The op's call gas as the account gives it, or undefined where the bundler's estimate stands:
 * Nexus and Safe7579 with no window near a boundary, or a module that is not Functor's (there
 * Kernel takes the flat figure).
 */
export async function sessionCallGas(chain: Client, context: SessionContext, calls: readonly Call[] | undefined): Promise<bigint | undefined> {
  const own = await accountCallGas(chain, context, calls);
  if (context.kind === 'kernel') return own?.gas ?? SESSION_CALL_GAS_FLOOR;
  return own && own.margin > 0n ? own.gas : undefined;
}
