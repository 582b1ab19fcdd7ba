// History entries for tests and previews (no chain needed): the shapes readHistory returns.
import { encodeErrorResult, encodeFunctionData, erc20Abi, getAddress, pad, toHex, type Address, type Hex } from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { decodeRefusal } from '../permissions/refusal.js';
import type { HistoryEntry } from './history.js';

export const USDC = getAddress('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913');
export const ACCOUNT = getAddress('0x1111111111111111111111111111111111111111');
export const RECIPIENT = getAddress('0x2222222222222222222222222222222222222222');
export const SIGNER: Hex = pad('0x3333333333333333333333333333333333333333');
export const usdcTokens = { [USDC.toLowerCase()]: { symbol: 'USDC', decimals: 6 } };

const txHash = (n: number): Hex => pad(toHex(n + 1), { size: 32 });

/** A USDC transfer of `amount` (base units) to `to`, counted against a 1,000 USDC limit. */
export function transferEntry(n: number, p: { amount?: bigint; to?: Address; withData?: boolean; used?: bigint; blockNumber?: bigint } = {}): HistoryEntry {
  const amount = p.amount ?? 640_000_000n;
  const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [p.to ?? RECIPIENT, amount] });
  return {
    kind: 'executed',
    blockNumber: p.blockNumber ?? BigInt(100 + n),
    transactionHash: txHash(n),
    logIndex: 0,
    account: ACCOUNT,
    keyId: 7n,
    signer: SIGNER,
    calls: [{ target: USDC, selector: '0xa9059cbb', value: 0n, ...(p.withData !== false && { data }) }],
    spends: [{ token: USDC, counted: amount, used: p.used ?? amount, limit: 1_000_000_000n }],
  };
}

/** An attempt the hook refused: 200 USDC asked with 900 of 1,000 used. */
export function blockedEntry(n: number, blockNumber: bigint = BigInt(100 + n)): HistoryEntry {
  const data = encodeErrorResult({
    abi: functorPolicyHookAbi,
    errorName: 'SpendLimitExceeded',
    args: [7n, USDC, 900_000_000n, 200_000_000n, 1_000_000_000n],
  });
  return {
    kind: 'blocked',
    blockNumber,
    transactionHash: txHash(n),
    logIndex: 1,
    account: ACCOUNT,
    userOpHash: pad(toHex(n + 1_000_000), { size: 32 }),
    refusal: decodeRefusal(data),
  };
}

/** `n` entries, oldest first, one per block; every tenth one blocked. */
export function syntheticHistory(n: number): HistoryEntry[] {
  return Array.from({ length: n }, (_, i) => (i % 10 === 9 ? blockedEntry(i) : transferEntry(i, { amount: BigInt(i + 1) * 1_000_000n })));
}
