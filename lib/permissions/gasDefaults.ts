// The gas caps a new grant gets by default, from the chain's fees at the time of the request
// rather than constants (a fixed 100 gwei is far too much on an L2 and could be too little on a
// busy L1). Decision (issue 14):
//
//  - maxFeePerGas = 3 x the chain's current maxFeePerGas (viem estimateFeesPerGas: base fee x 1.2
//    plus the priority fee), never below 1 gwei. 3x lets the key act through a fee spike of 2.5x
//    over the bundler's own margin; past that its ops are refused (GasFeeTooHigh) until the owner
//    renews, which is the safe failure. The floor keeps chains quoting ~0 (fresh devnets, L2s)
//    usable: a bundler's priority fee alone can be above 3x of nearly nothing.
//  - maxCostPerOp = maxFeePerGas x a gas-limit budget per op: the sum of the op's gas limits
//    (call + verification + preVerification), which the module's validation multiplies. Measured
//    on the devnet (bench/results.md) a session transfer uses 160k (Nexus) to 196k (Kernel) gas in
//    all, a batch of 5 up to 291k; but the cap applies to the limits the bundler estimates, not to
//    the gas used: Alto pads verification (~2x), Kernel ops carry the account's own call gas
//    (lib/agent/callGas.ts: each call estimated alone, plus 150k for the keyed execution, plus the
//    sliding-window margin; 300k when the calls cannot be estimated), and the tests that force limits use
//    400k + 600k + 100k. So: 1,200,000 gas for Kernel, 1,100,000 for Safe7579 (its adapter costs
//    more in validation), 1,000,000 for Nexus, plus 25,000 per listed call beyond the first (a
//    batch touching each), the largest of the kinds when the account is not chosen yet.
//  - maxOps = 100 ops from the grant on, fewer when a rate limit and an expiry imply fewer
//    (rate.maxCalls per rate.seconds over the time the key is valid): the total a leaked key can
//    cost is maxOps x maxCostPerOp, stated in the approval window.
import { Eip1559FeesNotSupportedError, parseGwei, type Client } from 'viem';
import { estimateFeesPerGas, getGasPrice } from 'viem/actions';
import { ACCOUNT_KINDS, type AccountKind } from '../accounts/kinds.js';
import { MAX_FEE_PER_GAS, MAX_UINT72 } from './constants.js';
import type { PermissionGas, PermissionRate } from './types.js';

export const FEE_HEADROOM = 3n;
export const MIN_FEE_PER_GAS = parseGwei('1');
/** Sum of an op's gas limits for one call, per account kind (see above). */
export const OP_GAS: Readonly<Record<AccountKind, bigint>> = { kernel: 1_200_000n, nexus: 1_000_000n, safe: 1_100_000n };
export const GAS_PER_EXTRA_CALL = 25_000n;
export const DEFAULT_MAX_OPS = 100;

export type GasDefaultsInput = {
  /** The chain's maxFeePerGas now, in wei (chainFeePerGas), before headroom. */
  chainFeePerGas: bigint;
  /** The kinds of account the key goes on; all kinds when not chosen yet. */
  kind?: AccountKind | readonly AccountKind[];
  /** How many (target, selector) entries the permission lists. */
  calls: number;
  rate?: PermissionRate;
  validAfter?: number;
  expiry?: number;
  /** Unix seconds. */
  now: number;
};

/** The pure core: the default gas caps for these fees and this permission. */
export function gasDefaultsFor(i: GasDefaultsInput): PermissionGas {
  const kinds = i.kind === undefined ? ACCOUNT_KINDS : typeof i.kind === 'string' ? [i.kind] : i.kind;
  if (i.chainFeePerGas < 0n) throw new RangeError('negative fee');
  let fee = i.chainFeePerGas * FEE_HEADROOM;
  if (fee < MIN_FEE_PER_GAS) fee = MIN_FEE_PER_GAS;
  if (fee > MAX_FEE_PER_GAS) fee = MAX_FEE_PER_GAS;
  const base = (kinds.length ? kinds : ACCOUNT_KINDS).reduce((m, k) => (OP_GAS[k] > m ? OP_GAS[k] : m), 0n);
  const gas = base + GAS_PER_EXTRA_CALL * BigInt(Math.max(0, i.calls - 1));
  let cost = fee * gas;
  if (cost > MAX_UINT72) cost = MAX_UINT72;
  return { maxFeePerGas: fee, maxCostPerOp: cost, maxOps: defaultMaxOps(i) };
}

/** 100, or what the rate limit allows over the key's lifetime when that is fewer (at least 1). */
export function defaultMaxOps(i: { rate?: PermissionRate; validAfter?: number; expiry?: number; now: number }): number {
  if (!i.rate || i.expiry === undefined) return DEFAULT_MAX_OPS;
  const from = Math.max(i.now, i.validAfter ?? 0);
  const span = Math.max(0, i.expiry - from);
  // A sliding window of `seconds` sees at most maxCalls: over `span`, ceil(span / seconds) windows.
  const implied = i.rate.maxCalls * Math.max(1, Math.ceil(span / i.rate.seconds));
  return Math.max(1, Math.min(DEFAULT_MAX_OPS, implied));
}

/** The chain's maxFeePerGas now (EIP-1559 estimate; legacy chains: the gas price). */
export async function chainFeePerGas(client: Client): Promise<bigint> {
  try {
    return (await estimateFeesPerGas(client)).maxFeePerGas;
  } catch (e) {
    if (!(e instanceof Eip1559FeesNotSupportedError)) throw e;
    // A chain without EIP-1559: its gas price is what an op pays per gas.
    return getGasPrice(client);
  }
}

/** gasDefaultsFor with the chain's fees now. */
export async function gasDefaults(client: Client, i: Omit<GasDefaultsInput, 'chainFeePerGas'>): Promise<PermissionGas> {
  return gasDefaultsFor({ ...i, chainFeePerGas: await chainFeePerGas(client) });
}
