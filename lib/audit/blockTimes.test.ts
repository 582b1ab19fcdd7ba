import { expect, test } from 'vitest';
import { readBlockTimestamps } from './blockTimes.js';

test('reads each block once, and never again once cached', async () => {
  const asked: bigint[] = [];
  const client = {
    getBlock: async ({ blockNumber }: { blockNumber: bigint }) => {
      asked.push(blockNumber);
      return { timestamp: 1000n + blockNumber };
    },
  } as unknown as Parameters<typeof readBlockTimestamps>[0];
  const cache = await readBlockTimestamps(client, [5n, 6n, 5n, 7n]);
  expect(asked.sort()).toEqual([5n, 6n, 7n]);
  expect(cache.get(6n)).toBe(1006);
  await readBlockTimestamps(client, [6n, 8n], cache);
  expect(asked).toHaveLength(4);
  expect(cache.get(8n)).toBe(1008);
});
