// Turns a refused UserOp into something a person reads: which policy refused and by how much.
// Sources: the bundler's simulation error (validation reverts come wrapped as "AA23 reverted 0x..."
// and execution reverts as the raw revert data), or the EntryPoint's UserOperationRevertReason.
import { BaseError, decodeErrorResult, formatUnits, type Hex } from 'viem';
import { functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../abi/generated.js';

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

export function decodeRefusal(input: unknown): Refusal {
  const raw =
    input instanceof BaseError
      ? [input.details, input.shortMessage].filter(Boolean).join(' | ')
      : input instanceof Error
        ? input.message
        : String(input);
  // Validation failures always carry an AA code; anything else was refused in (simulated) execution.
  const stage = /AA[1-4]\d|validateUserOp/.test(raw) ? 'validation' : 'execution';
  const data = findRevertData(raw);
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
  switch (r.error) {
    case 'SpendLimitExceeded':
      return `spend limit: ${fmt(a[1], a[2])}/${fmt(a[1], a[4])} ${sym(a[1])} used in the window, asked ${fmt(a[1], a[3])}`;
    case 'RateLimitExceeded':
      return `rate limit: ${a[1]}/${a[2]} transactions used in the window`;
    case 'CallNotAllowed':
      return `call not allowed: ${a[1]} ${a[2]}`;
    case 'ForbiddenTarget':
      return `forbidden target: ${a[0]}`;
    case 'KeyNotActive':
      return `key not active on this account (${['not enabled', 'enabled', 'revoked'][Number(a[1])] ?? a[1]})`;
    case 'KeyExpired':
      return `key expired at ${new Date(Number(a[1]) * 1000).toISOString()}`;
    case 'GasFeeTooHigh':
    case 'OpCostTooHigh':
    case 'GasBudgetExceeded':
      return `gas policy: ${r.error} (${a.join(', ')})`;
    default:
      return `${r.error}${a.length ? ` (${a.join(', ')})` : ''}: ${r.raw}`;
  }
}
