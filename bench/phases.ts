// Where an op's gas goes, read from the chain: the bundle transaction's call trace
// (`debug_traceTransaction` with geth's callTracer, which anvil serves), each frame named by its
// address and selector. A frame's `gas` is what it used itself and in its sub-calls; `self` is
// without the sub-calls. The audit event's LOG cost is computed from the receipt (375 per topic
// and per log, 8 per data byte), since a call trace does not show opcodes.
import { type Abi, type Address, erc20Abi, type Hex, type PublicClient, toFunctionSelector, type TransactionReceipt } from 'viem';
import { entryPoint07Abi } from 'viem/account-abstraction';
import type { DevnetConfig } from '../lib/chain/devnetConfig.js';
import { devOwnerValidatorAbi, functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../lib/abi/generated.js';

interface CallFrame {
  type: string;
  from: Address;
  to: Address;
  input: Hex;
  gasUsed: Hex;
  calls?: CallFrame[];
}

/** One frame of the trace: who called what, and the gas it used with and without its sub-calls. */
export interface Frame {
  depth: number;
  type: string;
  /** The callee's address, lower case. */
  address: string;
  /** Its name (addressNames), or the address. */
  to: string;
  fn: string;
  gas: number;
  self: number;
}

/** Extra selectors no generated ABI here carries (the accounts' own entry points). */
const ACCOUNT_FNS = [
  'function validateUserOp((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes),bytes32,uint256)',
  'function executeUserOp((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes),bytes32)',
  'function execute(bytes32,bytes)',
  'function execTransactionFromModule(address,uint256,bytes,uint8)',
  'function execTransactionFromModuleReturnData(address,uint256,bytes,uint8)',
  'function checkSignatures(bytes32,bytes,bytes)',
];

function selectorNames(): Map<string, string> {
  const names = new Map<string, string>();
  const add = (abi: Abi) => {
    for (const item of abi) {
      if (item.type !== 'function') continue;
      names.set(toFunctionSelector(item), item.name);
    }
  };
  for (const abi of [entryPoint07Abi, erc20Abi, functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi, devOwnerValidatorAbi] as Abi[]) add(abi);
  for (const sig of ACCOUNT_FNS) names.set(toFunctionSelector(sig), sig.slice(9, sig.indexOf('(')));
  return names;
}

/** Names for the devnet's contracts; `account` is the account the op ran on. */
export function addressNames(c: DevnetConfig, account: Address): Map<string, string> {
  const entries: [string, string][] = [
    [c.entryPoint, 'EntryPoint'],
    [account, 'account'],
    [c.functor.keyStore, 'KeyStore'],
    [c.functor.validator, 'FunctorValidator'],
    [c.functor.policyHook, 'FunctorPolicyHook'],
    [c.tokens.usdc, 'USDC'],
    [c.kernel.ownerValidator, 'owner validator (Kernel)'],
    [c.nexus.ownerValidator, 'owner validator (Nexus)'],
    [c.kernel.implementation, 'Kernel (implementation)'],
    [c.nexus.implementation, 'Nexus (implementation)'],
    [c.safe.singleton, 'Safe (singleton)'],
    [c.safe.singletonL2, 'Safe (singleton L2)'],
    [c.safe.safe7579, 'Safe7579 adapter'],
    [c.safe.registry, 'registry'],
  ];
  return new Map(entries.map(([a, n]) => [a.toLowerCase(), n]));
}

/** The bundle's call frames, depth-first, named. */
export async function traceFrames(pub: PublicClient, txHash: Hex, names: Map<string, string>): Promise<Frame[]> {
  const fns = selectorNames();
  const root = (await pub.request({
    method: 'debug_traceTransaction' as never,
    params: [txHash, { tracer: 'callTracer' }] as never,
  })) as CallFrame;
  const out: Frame[] = [];
  const walk = (f: CallFrame, depth: number) => {
    const gas = Number(f.gasUsed);
    const children = f.calls ?? [];
    const sel = f.input.slice(0, 10).toLowerCase();
    out.push({
      depth,
      type: f.type,
      address: f.to.toLowerCase(),
      to: names.get(f.to.toLowerCase()) ?? f.to,
      fn: f.input.length >= 10 ? (fns.get(sel) ?? sel) : '(no data)',
      gas,
      self: gas - children.reduce((s, c) => s + Number(c.gasUsed), 0),
    });
    for (const c of children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out;
}

/** LOG cost of the logs a contract emitted in the receipt: 375 + 375 × topics + 8 × data bytes each. */
export function logCost(receipt: TransactionReceipt, emitter: Address): number {
  return receipt.logs
    .filter((l) => l.address.toLowerCase() === emitter.toLowerCase())
    .reduce((s, l) => s + 375 + 375 * l.topics.length + 8 * ((l.data.length - 2) / 2), 0);
}

/** An op's gas by phase: every figure is gas used inside the named frames (see `Frame`). */
export interface Phases {
  /** The bundle transaction's gasUsed. */
  total: number;
  /** The EntryPoint's own work: intrinsic gas, calldata, its loops and bookkeeping. */
  entryPoint: number;
  /** The account's validateUserOp, the validator module's included. */
  validation: number;
  /** The validator module alone (Functor's module, FunctorPolicyHook, with the KeyStore, or the owner's). */
  validator: number;
  /** The account's execution (execute / executeUserOp), hooks and calls included. */
  execution: number;
  preCheck: number;
  /** The ERC-20 transfers themselves. */
  calls: number;
  postCheck: number;
  /** LOG cost of the hook's KeyExecuted event (part of postCheck). */
  auditEvent: number;
}

const sum = (frames: Frame[], pred: (f: Frame) => boolean) => frames.filter(pred).reduce((s, f) => s + f.gas, 0);

/** The frames of Functor's phases (each counted with its sub-frames). */
export const isPreCheck = (f: Frame) => f.to === 'FunctorPolicyHook' && f.fn === 'preCheck';
export const isPostCheck = (f: Frame) => f.to === 'FunctorPolicyHook' && f.fn === 'postCheck';
export const isTransfer = (f: Frame) => f.to === 'USDC' && f.fn === 'transfer';
/** The validator module's frame: Functor's module (FunctorPolicyHook's validateUserOp) or the owner's;
 * Safe's owners sign for the Safe itself, so without a validator module its checkSignatures stands for it. */
export function validatorPick(frames: Frame[]): (f: Frame) => boolean {
  const module = (f: Frame) => f.fn === 'validateUserOp' && (f.to === 'FunctorPolicyHook' || f.to.startsWith('owner validator'));
  return frames.some(module) ? module : (f: Frame) => f.to === 'account' && f.fn === 'checkSignatures';
}

/** Phases of a bundle with one op on `account`, from its frames (depth 0 is handleOps). */
export function phasesOf(frames: Frame[], receipt: TransactionReceipt, c: DevnetConfig): Phases {
  const top = frames.filter((f) => f.depth === 1);
  const validation = sum(top, (f) => f.to === 'account' && f.fn === 'validateUserOp');
  const inner = top.find((f) => f.to === 'EntryPoint' && f.fn === 'innerHandleOp');
  const execution = sum(frames, (f) => f.depth === 2 && f.to === 'account');
  return {
    total: frames[0]!.gas,
    entryPoint: frames[0]!.self + (inner?.self ?? 0),
    validation,
    validator: sum(frames, validatorPick(frames)),
    execution,
    preCheck: sum(frames, isPreCheck),
    calls: sum(frames, isTransfer),
    postCheck: sum(frames, isPostCheck),
    auditEvent: logCost(receipt, c.functor.policyHook),
  };
}
