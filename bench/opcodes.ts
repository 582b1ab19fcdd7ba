// What an op's gas is made of, opcode by opcode: the bundle transaction's struct-log trace
// (`debug_traceTransaction` with the default tracer; anvil records steps only when started with
// `--steps-tracing`) sorted into the costs the rules make us pay (cold storage reads, storage
// writes, cold contracts, events, the signature check) and the code around them. Each step is
// charged to the call frame it runs in, in the order the callTracer lists frames (bench/phases.ts),
// so a phase's split is the sum over its frames; every frame's split must add up to the gas the
// callTracer gives it, or the bench stops.
import type { Hex, PublicClient } from 'viem';
import { type Frame, isPostCheck, isPreCheck, isTransfer, validatorPick } from './phases.js';

export const KINDS = ['transaction', 'coldStorage', 'storageWrites', 'coldAccounts', 'logs', 'precompiles', 'code'] as const;
export type Kind = (typeof KINDS)[number];
export type KindSplit = Record<Kind, number>;

/** One step of geth's struct logger, as anvil serves it (memory and storage left out). */
export interface Step {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: Hex[];
}

const CALLS = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'CREATE2']);
const ACCOUNT_READS = new Set(['BALANCE', 'EXTCODESIZE', 'EXTCODECOPY', 'EXTCODEHASH']);
/** EIP-2929's price of a cold account, and of a cold storage slot. */
const COLD_ACCOUNT = 2_600;
const COLD_SLOAD = 2_100;
/** CALL with value: 9,000, of which the callee gets a 2,300 stipend (in its starting gas). */
const VALUE_NET = 9_000 - 2_300;

export const emptySplit = (): KindSplit => ({ transaction: 0, coldStorage: 0, storageWrites: 0, coldAccounts: 0, logs: 0, precompiles: 0, code: 0 });

const word = (stack: Hex[] | undefined, fromTop: number): bigint => {
  const v = stack?.[stack.length - 1 - fromTop];
  if (v === undefined) throw new Error('struct log without the stack: trace with disableStack false');
  return BigInt(v);
};

/**
 * Every frame's own gas (sub-frames excluded) by kind. `frames` are the callTracer's frames in its
 * depth-first order (precompiles and accounts without code included: they open no depth in the
 * struct log, and their gas, which the callTracer charges to them, is theirs here too).
 */
export function splitSteps(steps: Step[], frames: Frame[]): KindSplit[] {
  const out = frames.map(emptySplit);
  const open = [0]; // frame index per depth, depth 1 first
  let next = 0; // the last frame entered, in callTracer order
  const enter = (target: bigint) => {
    next++;
    while (next < frames.length && BigInt(frames[next]!.address) !== target) next++;
    if (next >= frames.length) throw new Error(`struct log calls 0x${target.toString(16)}, a frame the call trace does not have`);
    return next;
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const after = steps[i + 1];
    while (open.length > s.depth) open.pop();
    const here = out[open[open.length - 1]!]!;
    if (CALLS.has(s.op) && after) {
      const creates = s.op.startsWith('CREATE');
      if (creates && after.depth !== s.depth + 1) {
        here.code += s.gas - after.gas;
        continue;
      }
      const callee = creates ? next + 1 : enter(word(s.stack, 1));
      if (creates) next = callee;
      const deeper = after.depth === s.depth + 1;
      // A call's own price: its step's gasCost less the gas handed to the callee (the callee's
      // first step), or, when no frame opens (a precompile, an account without code), the gas the
      // step took less what the callee used, which is the callee's.
      const inside = deeper ? 0 : frames[callee]!.gas;
      let own = deeper ? s.gasCost - after.gas : s.gas - after.gas - inside;
      out[callee]!.precompiles += inside;
      if (s.op === 'CALL' && word(s.stack, 2) !== 0n) {
        here.code += VALUE_NET;
        own -= VALUE_NET;
      }
      if (own >= COLD_ACCOUNT) {
        here.coldAccounts += COLD_ACCOUNT;
        own -= COLD_ACCOUNT;
      }
      here.code += own;
      if (deeper) open.push(callee);
      continue;
    }
    if (s.op === 'SLOAD' && s.gasCost >= COLD_SLOAD) ((here.coldStorage += COLD_SLOAD), (here.code += s.gasCost - COLD_SLOAD));
    else if (s.op === 'SSTORE') here.storageWrites += s.gasCost;
    else if (s.op.startsWith('LOG')) here.logs += s.gasCost;
    else if (ACCOUNT_READS.has(s.op) && s.gasCost >= COLD_ACCOUNT) ((here.coldAccounts += COLD_ACCOUNT), (here.code += s.gasCost - COLD_ACCOUNT));
    else here.code += s.gasCost;
  }
  // The bundle's own frame also pays the transaction's intrinsic gas (21,000 and calldata), less
  // the refunds: what its steps do not account for.
  if (frames.length) out[0]!.transaction = frames[0]!.self - KINDS.reduce((sum, k) => sum + out[0]![k], 0);
  frames.forEach((f, i) => {
    const got = KINDS.reduce((sum, k) => sum + out[i]![k], 0);
    if (got !== f.self) throw new Error(`frame ${i} (${f.to}.${f.fn}): its steps add up to ${got}, the call trace says ${f.self}`);
  });
  return out;
}

/** The struct-log trace of a transaction (anvil must run with --steps-tracing). */
export async function traceSteps(pub: PublicClient, txHash: Hex): Promise<Step[]> {
  const res = (await pub.request({
    method: 'debug_traceTransaction' as never,
    params: [txHash, { disableMemory: true, disableStorage: true, disableStack: false }] as never,
  })) as { structLogs: Step[] };
  if (!res.structLogs?.length) throw new Error('the chain gave no struct logs: start anvil with --steps-tracing');
  return res.structLogs;
}

/** The split of the frames `pick` selects, each with its sub-frames (counted once). */
export function splitOf(frames: Frame[], split: KindSplit[], pick: (f: Frame) => boolean): KindSplit {
  const total = emptySplit();
  for (let i = 0; i < frames.length; i++) {
    if (!pick(frames[i]!)) continue;
    const d = frames[i]!.depth;
    let j = i;
    do {
      for (const k of KINDS) total[k] += split[j]![k];
      j++;
    } while (j < frames.length && frames[j]!.depth > d);
    i = j - 1;
  }
  return total;
}

/** What the whole bundle and Functor's phases are made of. */
export interface MadeOf {
  total: KindSplit;
  validator: KindSplit;
  preCheck: KindSplit;
  postCheck: KindSplit;
  /** The EntryPoint's own frame (the bundle's intrinsic gas and calldata, its loops, the ABI
   * encoding of the account's call), without its sub-calls (older results have none). */
  entryPoint?: KindSplit;
  /** The token's `transfer` frames: the calls the op makes (older results have none). */
  calls?: KindSplit;
}

export function madeOf(frames: Frame[], split: KindSplit[]): MadeOf {
  return {
    total: splitOf(frames, split, (f) => f.depth === 0),
    validator: splitOf(frames, split, validatorPick(frames)),
    preCheck: splitOf(frames, split, isPreCheck),
    postCheck: splitOf(frames, split, isPostCheck),
    entryPoint: frames.length ? { ...split[0]! } : emptySplit(),
    calls: splitOf(frames, split, isTransfer),
  };
}

/** What is left of `m.total` once the EntryPoint's own frame, the validator, preCheck, postCheck and
 * the calls are taken out: the account's own frames (its validation and execution paths). */
export function accountOwn(m: MadeOf): KindSplit {
  const out = emptySplit();
  for (const k of KINDS) out[k] = m.total[k] - m.entryPoint![k] - m.validator[k] - m.preCheck[k] - m.postCheck[k] - m.calls![k];
  return out;
}

/** `madeOf` for a mined bundle whose call frames are `frames` (bench/phases.ts traceFrames). */
export async function traceMadeOf(pub: PublicClient, txHash: Hex, frames: Frame[]): Promise<MadeOf> {
  return madeOf(frames, splitSteps(await traceSteps(pub, txHash), frames));
}

/**
 * What a bar on an overhead leaves for code. Every kind but code is a price the rules set (the
 * slots read and written, the contracts reached, the event, the signature check, the calldata), so
 * under `bar` the code of the overhead can take at most `bar` less them: `left`, against `code` now.
 */
export function codeBudget(diff: KindSplit, bar: number) {
  const rules = KINDS.reduce((sum, k) => (k === 'code' ? sum : sum + diff[k]), 0);
  return { rules, left: bar - rules, code: diff.code, over: diff.code - (bar - rules) };
}
