// Refusing, before anything is sent, a grant whose exact targets are the account's own machinery:
// a module (validator, executor, fallback, hook), an ERC-7579 account or adapter, a module
// installed on the account, or (Safe) its fallback handler or an enabled Safe module. A key that
// may call one could reconfigure or bypass what guards it. FunctorPolicyHook refuses these too
// (ForbiddenTarget, probed in setPolicies for exact targets), but only after the owner signed and
// paid: asking the chain first gives the user a reason naming the target instead of a revert.
import { BaseError, getAddress, HttpRequestError, parseAbi, TimeoutError, WebSocketRequestError, type Address, type Client } from 'viem';
import { getStorageAt, readContract } from 'viem/actions';
import type { AccountKind } from './kinds.js';
import { PermissionError } from '../permissions/errors.js';
import type { Permission } from '../permissions/types.js';

const erc7579Abi = parseAbi([
  'function isModuleType(uint256 moduleTypeId) view returns (bool)',
  'function supportsModule(uint256 moduleTypeId) view returns (bool)',
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)',
]);
const safeAbi = parseAbi(['function isModuleEnabled(address module) view returns (bool)']);

/** Safe's FallbackManager slot: keccak256("fallback_manager.handler.address"). */
const SAFE_FALLBACK_HANDLER_SLOT = '0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5';

const MODULE_TYPES = { 1: 'validator', 2: 'executor', 3: 'fallback handler', 4: 'hook' } as const;

/**
 * A call that reverts or returns nothing means "no" (an EOA, a plain contract); a chain that does
 * not answer is an error, not a "no": the check must not pass by failing.
 */
export async function yes(read: Promise<boolean>): Promise<boolean> {
  try {
    return (await read) === true;
  } catch (e) {
    if (e instanceof BaseError && e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError || x instanceof WebSocketRequestError)) throw e;
    if (e instanceof BaseError) return false;
    throw e;
  }
}

/** Why `target` is the account's machinery, or undefined when it is not. */
export async function machineryReason(client: Client, account: Address, kind: AccountKind, target: Address): Promise<string | undefined> {
  const t = getAddress(target);
  if (t === getAddress(account)) return 'the account itself';
  const types = [1, 2, 3, 4] as const;
  const [isType, supports, installed, safe] = await Promise.all([
    Promise.all(types.map((n) => yes(readContract(client, { address: t, abi: erc7579Abi, functionName: 'isModuleType', args: [BigInt(n)] })))),
    yes(readContract(client, { address: t, abi: erc7579Abi, functionName: 'supportsModule', args: [1n] })),
    Promise.all(
      ([1, 2, 4] as const).map((n) =>
        yes(readContract(client, { address: account, abi: erc7579Abi, functionName: 'isModuleInstalled', args: [BigInt(n), t, '0x'] })),
      ),
    ),
    kind === 'safe' ? safeMachinery(client, account, t) : Promise.resolve(undefined),
  ]);
  const installedAs = ([1, 2, 4] as const).filter((_, i) => installed[i]);
  if (installedAs.length) {
    const what = installedAs.map((n) => MODULE_TYPES[n]).join(' and ');
    return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} installed on the account`;
  }
  const moduleAs = types.filter((_, i) => isType[i]);
  if (moduleAs.length) return `an ERC-7579 module (${moduleAs.map((n) => MODULE_TYPES[n]).join(', ')})`;
  if (supports) return 'an ERC-7579 account or adapter (it installs modules)';
  return safe;
}

async function safeMachinery(client: Client, safe: Address, t: Address): Promise<string | undefined> {
  const [slot, enabled] = await Promise.all([
    getStorageAt(client, { address: safe, slot: SAFE_FALLBACK_HANDLER_SLOT }),
    yes(readContract(client, { address: safe, abi: safeAbi, functionName: 'isModuleEnabled', args: [t] })),
  ]);
  if (slot && slot !== '0x' && BigInt(slot) === BigInt(t)) return "the Safe's fallback handler (the Safe7579 adapter)";
  if (enabled) return 'a module enabled on the Safe';
  return undefined;
}

/**
 * Throws PermissionError naming the first exact target of `p` that is machinery of one of
 * `accounts`. 'any' targets are the schema's business (MANAGEMENT_SELECTORS).
 */
export async function assertNoMachineryTargets(client: Client, accounts: readonly { address: Address; kind: AccountKind }[], p: Permission): Promise<void> {
  const targets = [...new Set(p.calls.flatMap((c) => (c.to === 'any' ? [] : [getAddress(c.to)])))];
  for (const a of accounts) {
    const reasons = await Promise.all(targets.map((t) => machineryReason(client, a.address, a.kind, t)));
    const i = reasons.findIndex((r) => r !== undefined);
    if (i >= 0) {
      const at = p.calls.findIndex((c) => c.to !== 'any' && getAddress(c.to) === targets[i]);
      throw new PermissionError(`calls[${at}].to`, `${targets[i]} is ${reasons[i]} of ${a.address}: a key may not call the account's modules or machinery`);
    }
  }
}
