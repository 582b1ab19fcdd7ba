import { zeroAddress } from 'viem';
import { describe, expect, test } from 'vitest';
import { DAY, spendByDay } from './spendByDay.js';
import { blockedEntry, transferEntry, USDC } from './testing.js';
import type { HistoryEntry } from './history.js';

const MIDNIGHT = 1_795_305_600; // 2026-11-22 00:00 UTC
const NOW = MIDNIGHT + 10 * 3600;

describe('spendByDay', () => {
  const entries = [
    transferEntry(0, { amount: 100n, blockNumber: 1n }),
    transferEntry(1, { amount: 200n, blockNumber: 2n }),
    transferEntry(2, { amount: 40n, blockNumber: 3n }),
    transferEntry(3, { amount: 7n, blockNumber: 4n }), // 8 days ago: outside a 7-day chart
    transferEntry(4, { amount: 5n, blockNumber: 5n }), // no timestamp
    blockedEntry(5, 2n),
  ];
  const timestamps = new Map([
    [1n, MIDNIGHT + 60], // today
    [2n, MIDNIGHT - 1], // yesterday 23:59:59
    [3n, MIDNIGHT + 3600], // today
    [4n, MIDNIGHT - 7 * DAY],
  ]);

  test('sums counted spend per UTC day, oldest first, over the last N days', () => {
    const { days, undated } = spendByDay(entries, { token: USDC, days: 7, now: NOW, timestamps });
    expect(days.map((d) => d.start)).toEqual(Array.from({ length: 7 }, (_, i) => MIDNIGHT - (6 - i) * DAY));
    expect(days.map((d) => d.amount)).toEqual([0n, 0n, 0n, 0n, 0n, 200n, 140n]);
    expect(undated).toBe(1);
  });

  test('30 days reaches back further', () => {
    const { days } = spendByDay(entries, { token: USDC, days: 30, now: NOW, timestamps });
    expect(days).toHaveLength(30);
    expect(days[22]).toEqual({ start: MIDNIGHT - 7 * DAY, amount: 7n });
  });

  test('only the asked token; native is the zero address in the event', () => {
    const native: HistoryEntry = {
      ...(transferEntry(9, { blockNumber: 1n }) as Extract<HistoryEntry, { kind: 'executed' }>),
      spends: [{ token: zeroAddress, counted: 3n, used: 3n, limit: 10n }],
    };
    expect(spendByDay([native], { token: USDC, days: 1, now: NOW, timestamps }).days[0]!.amount).toBe(0n);
    expect(spendByDay([native], { token: 'native', days: 1, now: NOW, timestamps }).days[0]!.amount).toBe(3n);
  });
});

test('an entry that carries its own time (a history merging chains) is placed by it, not by its block number', () => {
  const merged: HistoryEntry[] = [
    { ...transferEntry(0, { amount: 3n, blockNumber: 9n }), at: MIDNIGHT - DAY + 5 },
    { ...transferEntry(1, { amount: 4n, blockNumber: 9n }), at: MIDNIGHT + 5 },
  ];
  const { days, undated } = spendByDay(merged, { token: USDC, days: 2, now: NOW, timestamps: new Map([[9n, MIDNIGHT - 30 * DAY]]) });
  expect(days.map((d) => d.amount)).toEqual([3n, 4n]);
  expect(undated).toBe(0);
});
