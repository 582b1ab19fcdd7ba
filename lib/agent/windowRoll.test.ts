import { describe, expect, it } from 'vitest';
import { bucketWidth, ROLL_CALL_GAS, ROLL_HORIZON_SECONDS, rollMargin, slidingPeriods } from './windowRoll.js';

const DAY = 86_400;
const USDC = '0x0000000000000000000000000000000000000001' as const;
const spend = (kind: 0 | 1, period: number) => ({ token: USDC, limit: 1n, period, kind, start: 0 });

describe('windowRoll', () => {
  it("has the hook's bucket width: period / 24, rounded up", () => {
    expect(bucketWidth(DAY)).toBe(3_600);
    expect(bucketWidth(3_600)).toBe(150);
    expect(bucketWidth(100)).toBe(5);
  });

  it('adds call gas for a window whose next boundary is within the horizon, and none otherwise', () => {
    const boundary = 1_800_000_000 - (1_800_000_000 % 3_600) + 3_600;
    expect(rollMargin([DAY], boundary - 20)).toBe(ROLL_CALL_GAS);
    expect(rollMargin([DAY], boundary - ROLL_HORIZON_SECONDS)).toBe(ROLL_CALL_GAS);
    expect(rollMargin([DAY], boundary - ROLL_HORIZON_SECONDS - 1)).toBe(0n);
    // On the boundary itself the estimate already runs in the new bucket: the next one is an hour off.
    expect(rollMargin([DAY], boundary)).toBe(0n);
  });

  it('counts each window near its boundary: two near, one far', () => {
    const t = 7_200 * 1_000 - 10; // 10 s before a boundary of both 1-hour and 1-day buckets
    expect(rollMargin([DAY, DAY * 2, 30 * DAY], t)).toBe(2n * ROLL_CALL_GAS); // 2 days: 7,200 s buckets; 30 days: 108,000 s
    // A window of buckets narrower than the horizon is always near a boundary.
    expect(rollMargin([600], 1_000_000_013)).toBe(ROLL_CALL_GAS);
    expect(rollMargin([0], t)).toBe(0n);
  });

  it('takes the sliding spend limits and the rate limit, not fixed periods', () => {
    expect(slidingPeriods({ spends: [spend(0, DAY), spend(1, 7 * DAY)], rate: { maxCalls: 10, period: 3_600 } })).toEqual([DAY, 3_600]);
    expect(slidingPeriods({ spends: [spend(1, DAY)], rate: { maxCalls: 0, period: 0 } })).toEqual([]);
  });
});
