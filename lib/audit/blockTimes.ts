// Block timestamps for history entries (the audit event has block numbers only). Blocks never
// change their time, so a cache shared across reads makes refreshes cost only the new blocks.
import type { Chain, PublicClient, Transport } from 'viem';

/** A few requests at a time: a public RPC rate-limits a burst of thousands. */
const CONCURRENCY = 8;

export async function readBlockTimestamps(
  client: Pick<PublicClient<Transport, Chain>, 'getBlock'>,
  blockNumbers: Iterable<bigint>,
  cache: Map<bigint, number> = new Map(),
): Promise<Map<bigint, number>> {
  const missing = [...new Set(blockNumbers)].filter((n) => !cache.has(n));
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const n = missing[next++]!;
      const block = await client.getBlock({ blockNumber: n, includeTransactions: false });
      cache.set(n, Number(block.timestamp));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, missing.length) }, worker));
  return cache;
}
