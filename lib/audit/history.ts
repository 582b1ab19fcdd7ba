// A key's or an account's history, from the chain: what it executed (FunctorPolicyHook's
// KeyExecuted events) and what was blocked in execution (the EntryPoint's UserOperationEvent with
// success = false, with its revert reason when the account passed one through).
import { type Address, type Chain, getAbiItem, type Hex, parseAbiItem, type PublicClient, type Transport } from 'viem';
import { decodeRefusal, type Refusal } from '../permissions/refusal.js';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { decodeRecord, recordWords } from './auditWords.js';

/** FunctorPolicyHook's audit event, as emitted for every execution by a key (from the generated ABI). */
export const keyExecuted = getAbiItem({ abi: functorPolicyHookAbi, name: 'KeyExecuted' });
const userOperationEvent = parseAbiItem(
  'event UserOperationEvent(bytes32 indexed userOpHash, address indexed sender, address indexed paymaster, uint256 nonce, bool success, uint256 actualGasCost, uint256 actualGasUsed)',
);
const revertReason = parseAbiItem('event UserOperationRevertReason(bytes32 indexed userOpHash, address indexed sender, uint256 nonce, bytes revertReason)');

export type HistoryEntry = (
  | {
      kind: 'executed';
      blockNumber: bigint;
      transactionHash: Hex;
      logIndex: number;
      account: Address;
      keyId: bigint;
      signer: Hex;
      /**
       * From the event: target, selector, value. The event carries no calldata, so `data` (the
       * call's full calldata, which names a transfer's recipient) is there only when a reader
       * recovered it from the transaction; screens must do without it.
       */
      calls: readonly { target: Address; selector: Hex; value: bigint; data?: Hex }[];
      spends: readonly { token: Address; counted: bigint; used: bigint; limit: bigint }[];
    }
  | { kind: 'blocked'; blockNumber: bigint; transactionHash: Hex; logIndex: number; account: Address; userOpHash: Hex; refusal: Refusal }
) &
  /**
   * Set when a history merges chains (a key granted on several): the chain's name and the block's
   * time, since block numbers of different chains do not compare.
   */
  { chain?: string; at?: number };

export async function readHistory(
  client: PublicClient<Transport, Chain>,
  p: { hook: Address; entryPoint: Address; account?: Address; keyId?: bigint; fromBlock?: bigint; offset?: number; limit?: number },
): Promise<{ entries: HistoryEntry[]; total: number }> {
  const fromBlock = p.fromBlock ?? 0n;
  const [executed, ops, reasons] = await Promise.all([
    client.getLogs({ address: p.hook, event: keyExecuted, args: { account: p.account, keyId: p.keyId }, fromBlock }),
    p.account ? client.getLogs({ address: p.entryPoint, event: userOperationEvent, args: { sender: p.account }, fromBlock }) : [],
    p.account ? client.getLogs({ address: p.entryPoint, event: revertReason, args: { sender: p.account }, fromBlock }) : [],
  ]);
  const entries: HistoryEntry[] = executed.map((l) => ({
    kind: 'executed',
    blockNumber: l.blockNumber,
    transactionHash: l.transactionHash,
    logIndex: l.logIndex,
    account: l.args.account!,
    keyId: l.args.keyId!,
    signer: l.args.signer!,
    ...decodeRecord(recordWords(l.data)),
  }));
  for (const op of ops) {
    if (op.args.success) continue;
    const reason = reasons.find((r) => r.args.userOpHash === op.args.userOpHash);
    entries.push({
      kind: 'blocked',
      blockNumber: op.blockNumber,
      transactionHash: op.transactionHash,
      logIndex: op.logIndex,
      account: op.args.sender!,
      userOpHash: op.args.userOpHash!,
      refusal: decodeRefusal(reason?.args.revertReason ?? 'reverted in execution'),
    });
  }
  entries.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const offset = p.offset ?? 0;
  return { entries: entries.slice(offset, offset + (p.limit ?? entries.length)), total: entries.length };
}
