// Turns a refused UserOp into something a person reads: which policy refused and by how much.
// Sources: the bundler's simulation error (validation reverts come wrapped as "AA23 reverted 0x..."
// and execution reverts as the raw revert data), or the EntryPoint's UserOperationRevertReason.
import { BaseError, decodeErrorResult, formatEther, formatGwei, formatUnits, isHex, type Hex } from 'viem';
import { functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../abi/generated.js';
import { ERC20_ARG_NAMES } from './describe.js';

// The module (FunctorPolicyHook) refuses in validation and in execution; FunctorValidator, the
// ERC-7710 executor, refuses redemptions (UntrustedDelegationManager, NotFunctorDelegation, ...).
const abis = [...functorPolicyHookAbi, ...functorValidatorAbi, ...keyStoreAbi].filter((x) => x.type === 'error');

export interface Refusal {
  /** The custom error's name when one was decoded (e.g. SpendLimitExceeded), else 'Unknown'. */
  error: string;
  args: readonly unknown[];
  /** Where it was refused. */
  stage: 'validation' | 'execution';
  /** The bundler's or EntryPoint's own words (AA code, message). */
  raw: string;
}

/** The first custom-error payload (0x + 8 hex selector + words) found in a message. */
function findRevertData(text: string): Hex | undefined {
  const m = text.match(/0x[0-9a-fA-F]{8}(?:[0-9a-fA-F]{64})*/g);
  return m?.sort((a, b) => b.length - a.length)[0] as Hex | undefined;
}

/** The revert data a viem error carries on one of its causes (RpcRequestError, RawContractError). */
function revertDataOf(input: unknown): Hex | undefined {
  if (!(input instanceof BaseError)) return undefined;
  const withData = input.walk((e) => {
    const d = (e as { data?: unknown }).data;
    return typeof d === 'string' && isHex(d) && d.length >= 10;
  }) as { data?: Hex } | null;
  return withData?.data;
}

export function decodeRefusal(input: unknown): Refusal {
  const raw =
    input instanceof BaseError ? [input.details, input.shortMessage].filter(Boolean).join(' | ') : input instanceof Error ? input.message : String(input);
  // Validation failures always carry an AA code; anything else was refused in (simulated) execution.
  const stage = /AA[1-4]\d|validateUserOp/.test(raw) ? 'validation' : 'execution';
  // A node's revert (a plain transaction, e.g. an ERC-7710 redemption) carries its data on the
  // error viem wraps; a bundler's comes inside its message.
  const data = revertDataOf(input) ?? findRevertData(raw);
  if (data) {
    try {
      const d = decodeErrorResult({ abi: abis, data });
      return { error: d.errorName, args: d.args ?? [], stage, raw };
    } catch {
      // not one of ours
    }
  }
  return { error: /0xacfdb444/.test(raw) ? 'ExecutionFailed' : 'Unknown', args: [], stage, raw };
}

/** A refusal in words, e.g. "spend limit: 90/100 USDC used in the window, asked 20". */
export function describeRefusal(r: Refusal, tokens: Record<string, { symbol: string; decimals: number }> = {}): string {
  const fmt = (token: unknown, amount: unknown) => {
    const t = tokens[String(token).toLowerCase()];
    return t ? `${formatUnits(amount as bigint, t.decimals)}` : String(amount);
  };
  const sym = (token: unknown) => tokens[String(token).toLowerCase()]?.symbol ?? String(token);
  const a = r.args;
  const gwei = (v: unknown) => formatGwei(BigInt(v as bigint));
  const eth = (v: unknown) => formatEther(BigInt(v as bigint));
  switch (r.error) {
    case 'SpendLimitExceeded':
      return `spend limit: ${fmt(a[1], a[2])}/${fmt(a[1], a[4])} ${sym(a[1])} used in the window, asked ${fmt(a[1], a[3])}`;
    case 'RateLimitExceeded':
      return `rate limit: ${a[1]}/${a[2]} transactions used in the window`;
    case 'CallNotAllowed':
      return `call not allowed: ${a[1]} ${a[2]}`;
    case 'ArgumentNotAllowed':
      return argumentRefused(a[1], a[2], Number(a[3]), a[4] as Hex);
    case 'ArgumentMissing':
      return `argument ${a[3]} of ${a[2]} on ${a[1]} is missing: the call is too short for the key's condition on it`;
    case 'ForbiddenTarget':
      return `forbidden target: ${a[0]} (the account itself, a module or the account's machinery)`;
    case 'WrongNonceKey':
      return `wrong nonce key 0x${(a[0] as bigint).toString(16)}: a key's ops must use its own lane (uint16 of the keyId)`;
    case 'OpCeilingReached':
      return `op limit reached: operation ${a[0]} of at most ${a[1]} on this account (the owner can allow more)`;
    case 'SignerNotAuthorized':
      return `signer ${a[1]} is not the key's signer any more (rotated out)`;
    case 'NotKeySigner':
      return `redeemer ${a[1]} is not a signer of the key (only the key's current signer may redeem it)`;
    case 'UntrustedDelegationManager':
      return `${a[0]} is not the DelegationManager this account trusts (${a[1]}); redeem through that one`;
    case 'HookNotGuarding':
      return `the account ${a[0]} runs this executor without Functor's hook: redemptions are refused`;
    case 'KeyedOpPending':
      return `a session key's op for ${a[0]} is pending in the same bundle: the hook cannot be uninstalled now`;
    case 'InvalidPolicy':
      return `policy refused: ${a[0]}`;
    case 'NotInstalled':
      return `Functor is not installed on ${a[0]} (its hook role is not, or either role was uninstalled): install it again, then set the key's policies`;
    case 'NoPolicies':
      return `the key has no policies on ${a[1]}: the owner has to grant it again`;
    case 'KeyNotActive':
      return `key not active on this account (${['not enabled', 'enabled', 'revoked'][Number(a[1])] ?? a[1]})`;
    case 'KeyExpired':
      return `key expired at ${new Date(Number(a[1]) * 1000).toISOString()}`;
    case 'GasFeeTooHigh':
      return `gas policy: a fee of ${gwei(a[0])} gwei per gas is above the cap of ${gwei(a[1])}`;
    case 'OpCostTooHigh':
      return `gas policy: the op may cost ${eth(a[0])} ETH, above the cap of ${eth(a[1])} per operation`;
    case 'GasBudgetExceeded':
      return `gas policy: ${eth(a[0])} ETH used + ${eth(a[1])} for this op is above the budget of ${eth(a[2])}`;
    default:
      return `${r.error}${a.length ? ` (${a.join(', ')})` : ''}: ${r.raw}`;
  }
}

/** "recipient 0xabc… is not one this key may pay", or the argument's index and word. */
function argumentRefused(target: unknown, selector: unknown, arg: number, word: Hex): string {
  const name = ERC20_ARG_NAMES[String(selector).toLowerCase()]?.[arg];
  const asAddress = BigInt(word) >> 160n === 0n ? `0x${word.slice(26)}` : undefined;
  if (name === 'recipient' && asAddress) return `recipient ${asAddress} is not one this key may pay`;
  if (name === 'spender' && asAddress) return `spender ${asAddress} is not one this key may approve`;
  if (name === 'amount') return `amount ${BigInt(word)} is outside what this key may send in one call to ${target}`;
  return `argument ${arg} of ${selector} on ${target} (${word}) is outside the key's conditions`;
}
