// The call gas of a session op on Nexus or Safe7579 when one of the key's sliding windows is about
// to roll (windowRoll.ts). The bundler estimates call gas on the chain as it is now; an op that lands
// after a bucket boundary pays for the roll too, which the estimate missed, and runs out of gas in
// execution: the transfer fails and the account pays for it. The session account runs this before
// the bundler estimates (viem keeps what the account gives), so every viem or permissionless client
// gets it, not only the lib's own `sendCalls`. Far from a boundary it gives nothing and the bundler's
// tight estimate stands: unused call gas costs the account 10% of it (EntryPoint v0.7's penalty).
import { type Address, type Client } from 'viem';
import { estimateGas, getBlock, readContract } from 'viem/actions';
import { functorPolicyHookAbi, functorValidatorAbi } from '../abi/generated.js';
import type { Call } from '../functorMode.js';
import type { SessionContext } from '../permissions/context.js';
import { rollMargin, slidingPeriods } from './windowRoll.js';

/**
 * What a keyed execution costs beyond its calls, at most, on Nexus and Safe7579: the EntryPoint's
 * call into the account, the account's `execute`, the hook's preCheck and postCheck with their cold
 * slots, the window writes and the audit event (about 75,000 on Safe7579, the dearest, in
 * `npm run bench`), with room to spare. `test/integration/windowRoll.test.ts` lands ops with it
 * across a boundary, single and batched, through viem's and permissionless's own clients.
 */
export const KEYED_EXECUTION_GAS = 150_000n;

/**
 * The call gas near a boundary when the calls cannot be estimated one by one (a call that only
 * works after an earlier one in the batch): as Kernel's floor (sessionAccount.ts).
 */
export const NEAR_ROLL_CALL_GAS_FLOOR = 300_000n;

/** FunctorValidator's hook, per validator (an immutable of the validator). */
const hooks = new Map<string, Promise<Address>>();

function hookOf(chain: Client, validator: Address): Promise<Address> {
  const key = `${chain.chain?.id ?? ''}:${validator.toLowerCase()}`;
  let hook = hooks.get(key);
  if (!hook) {
    hook = readContract(chain, { address: validator, abi: functorValidatorAbi, functionName: 'hook' });
    hooks.set(key, hook);
    hook.catch(() => hooks.delete(key));
  }
  return hook;
}

/** Call gas for the key's sliding windows whose next bucket boundary is near (windowRoll.ts). */
export async function windowRollGas(chain: Client, context: SessionContext): Promise<bigint> {
  const address = await hookOf(chain, context.validator);
  const [policies, block] = await Promise.all([
    readContract(chain, { address, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [context.account, context.keyId] }),
    getBlock(chain),
  ]);
  return rollMargin(slidingPeriods(policies), Number(block.timestamp));
}

/**
 * The op's call gas when a window may roll before it lands, or undefined when none is near (the
 * bundler's estimate stands). Each call is estimated from the account (eth_estimateGas, which counts
 * 21,000 per call more than the call costs inside the batch: margin, not need).
 */
export async function nearRollCallGas(chain: Client, context: SessionContext, calls: readonly Call[] | undefined): Promise<bigint | undefined> {
  const margin = await windowRollGas(chain, context);
  if (margin === 0n) return undefined;
  const own = calls
    ? await Promise.all(calls.map((c) => estimateGas(chain, { account: context.account, to: c.to, data: c.data, value: c.value }))).then(
        (gas) => gas.reduce((a, b) => a + b, KEYED_EXECUTION_GAS),
        () => undefined,
      )
    : undefined;
  return (own ?? NEAR_ROLL_CALL_GAS_FLOOR) + margin;
}
