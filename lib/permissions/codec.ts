// The one conversion between a Permission and the onchain `Policies` struct of
// FunctorPolicyHook.setPolicies / policiesOf. Types come from the generated ABI, so a change to the
// struct breaks this file at compile time rather than a transaction at run time.
import { encodeFunctionData, getAddress, zeroAddress, type ContractFunctionArgs, type Hex } from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { ANY_SELECTOR, ANY_TARGET, ARG_OP, MAX_UINT176, MAX_UINT32, NATIVE_TOKEN, PERIOD_KIND, SEQUENCE_MASK, VALUE_SELECTOR } from './constants.js';
import { PermissionError } from './errors.js';
import { parsePermission, type ArgCondition, type ArgOp, type Period, type Permission, type PermissionSpend } from './types.js';

/** `Policies` exactly as viem encodes it for setPolicies and decodes it from policiesOf. */
export type PoliciesStruct = ContractFunctionArgs<typeof functorPolicyHookAbi, 'nonpayable', 'setPolicies'>[1];
export type SpendLimitStruct = PoliciesStruct['spends'][number];

/**
 * The onchain op ceiling for `maxOps` more ops on a lane whose sequence is `sequence` (the low 64
 * bits of EntryPoint.getNonce(account, laneKey); see accounts/nonceKey.ts). The validator accepts
 * an op while its sequence is below the ceiling, so the ceiling is absolute.
 */
export function opCeilingFor(maxOps: number, sequence: bigint): number {
  if (maxOps < 1) throw new PermissionError('gas.maxOps', 'no operation left to grant: allow at least 1');
  const ceiling = (sequence & SEQUENCE_MASK) + BigInt(maxOps);
  if (ceiling > BigInt(MAX_UINT32)) {
    throw new PermissionError('gas.maxOps', `the key's lane is at op ${sequence & SEQUENCE_MASK}: ${maxOps} more is above the uint32 op ceiling`);
  }
  return Number(ceiling);
}

/** Ops the key may still make under `opCeiling` when its lane is at `sequence` (0 when used up). */
export function opsLeft(opCeiling: number, sequence: bigint): number {
  const s = sequence & SEQUENCE_MASK;
  return s >= BigInt(opCeiling) ? 0 : Number(BigInt(opCeiling) - s);
}

/**
 * Validates `p` as the hook would (throws PermissionError) and encodes it, the op bound as a
 * ceiling `sequence + p.gas.maxOps`: `sequence` is the key's lane's current sequence on the account
 * the struct is for (0 on a lane never used; read it with readLaneSequence).
 */
export function toPolicies(p: Permission, sequence: bigint): PoliciesStruct {
  const q = parsePermission(p);
  const calls = q.calls.map((c) => ({
    target: c.to === 'any' ? ANY_TARGET : c.to,
    selector: c.selector === 'any' ? ANY_SELECTOR : c.selector === 'value' ? VALUE_SELECTOR : c.selector,
  }));
  return {
    validAfter: q.validAfter ?? 0,
    validUntil: q.expiry ?? 0,
    calls,
    // One call's conditions adjacent, in the calls' order (the hook refuses them split).
    conditions: q.calls.flatMap((c, i) =>
      (c.args ?? []).map((a) => ({ target: calls[i]!.target, selector: calls[i]!.selector, arg: a.arg, op: ARG_OP[a.op], values: a.values })),
    ),
    spends: q.spend.map(toSpendLimit),
    rate: q.rate ? { maxCalls: q.rate.maxCalls, period: q.rate.seconds } : { maxCalls: 0, period: 0 },
    gas: {
      // uint48: viem's type is a number (exact: below 2^53).
      maxFeePerGas: Number(q.gas.maxFeePerGas),
      maxCostPerOp: q.gas.maxCostPerOp,
      opCeiling: opCeilingFor(q.gas.maxOps, sequence),
      budget: q.gas.budget ?? 0n,
      paymaster: q.gas.paymaster ?? zeroAddress,
    },
    customs: q.customs ?? [],
  };
}

function toSpendLimit(s: PermissionSpend): SpendLimitStruct {
  return {
    token: s.token === 'native' ? NATIVE_TOKEN : s.token,
    limit: s.limit,
    period: s.period.seconds,
    kind: PERIOD_KIND[s.period.kind],
    start: s.period.kind === 'fixed' ? s.period.start : 0,
  };
}

/** What policiesOf returns for a key with no policies on that account. */
export function isEmptyPolicies(s: PoliciesStruct): boolean {
  // setPolicies refuses zero gas caps, so a zero cap means nothing was set.
  return s.gas.maxFeePerGas === 0 && s.gas.maxCostPerOp === 0n && s.gas.opCeiling === 0 && s.calls.length === 0 && s.spends.length === 0;
}

/**
 * The inverse of toPolicies: fromPolicies(toPolicies(p, seq), seq) equals parsePermission(p)
 * exactly. `sequence` is the lane's sequence now, so `gas.maxOps` comes back as the ops left (0 for
 * a key that used them all). Throws PermissionError for an empty struct (no policies set) or one
 * the hook would refuse.
 */
export function fromPolicies(s: PoliciesStruct, sequence: bigint): Permission {
  if (isEmptyPolicies(s)) throw new PermissionError('policies', 'empty: the key has no policies on this account');
  const argsOf = new Map<string, ArgCondition[]>();
  for (const c of s.conditions) {
    const id = `${getAddress(c.target)}:${c.selector.toLowerCase()}`;
    const op = (Object.keys(ARG_OP) as ArgOp[]).find((k) => ARG_OP[k] === c.op);
    if (!op) throw new PermissionError('conditions', `unknown ArgOp ${c.op}`);
    argsOf.set(id, [...(argsOf.get(id) ?? []), { arg: c.arg, op, values: c.values.map((v) => v.toLowerCase() as Hex) }]);
  }
  const p: Record<string, unknown> = {
    calls: s.calls.map((c) => {
      const id = `${getAddress(c.target)}:${c.selector.toLowerCase()}`;
      const args = argsOf.get(id);
      argsOf.delete(id); // to the first listing of the call only
      return { to: getAddress(c.target) === ANY_TARGET ? 'any' : c.target, selector: selectorFromStruct(c.selector), ...(args && { args }) };
    }),
    spend: s.spends.map((x, i) => fromSpendLimit(x, i)),
    gas: {
      maxFeePerGas: BigInt(s.gas.maxFeePerGas),
      maxCostPerOp: s.gas.maxCostPerOp,
      maxOps: opsLeft(s.gas.opCeiling, sequence),
      ...(s.gas.budget !== 0n && { budget: s.gas.budget }),
      ...(getAddress(s.gas.paymaster) !== zeroAddress && { paymaster: s.gas.paymaster }),
    },
  };
  // maxCalls 0 is "no rate limit" whatever the period.
  if (s.rate.maxCalls !== 0) p.rate = { maxCalls: s.rate.maxCalls, seconds: s.rate.period };
  if (s.validAfter !== 0) p.validAfter = s.validAfter;
  if (s.validUntil !== 0) p.expiry = s.validUntil;
  if (s.customs.length) p.customs = [...s.customs];
  return parsePermission(p);
}

/** One SpendLimit (as spendUsage returns them) → the Permission's spend entry. */
export function fromSpendLimit(s: SpendLimitStruct, index = 0): PermissionSpend {
  let period: Period;
  if (s.kind === PERIOD_KIND.sliding) period = { kind: 'sliding', seconds: s.period };
  else if (s.kind === PERIOD_KIND.fixed) period = { kind: 'fixed', seconds: s.period, start: s.start };
  else throw new PermissionError(`spend[${index}].period.kind`, `unknown PeriodKind ${s.kind}`);
  return { token: getAddress(s.token) === NATIVE_TOKEN ? 'native' : getAddress(s.token), limit: s.limit, period };
}

function selectorFromStruct(sel: Hex): Hex | 'any' | 'value' {
  const s = sel.toLowerCase() as Hex;
  return s === ANY_SELECTOR ? 'any' : s === VALUE_SELECTOR ? 'value' : s;
}

/**
 * Calldata of `setPolicies(keyId, toPolicies(p, sequence))`, for the account to call on the hook
 * (the key must already be enabled on that account: send it after register/enable).
 */
export function encodeSetPolicies(keyId: bigint, p: Permission, sequence: bigint): Hex {
  if (keyId <= 0n || keyId > MAX_UINT176) throw new PermissionError('keyId', 'not a uint176 keyId');
  return encodeFunctionData({ abi: functorPolicyHookAbi, functionName: 'setPolicies', args: [keyId, toPolicies(p, sequence)] });
}
