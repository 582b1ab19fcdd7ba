// Call gas for a sliding window that rolls between the bundler's estimate and the op landing.
//
// The hook's sliding windows (SlidingWindow.sol) count in BUCKETS buckets of ceil(period / BUCKETS)
// seconds. The first spend in a new bucket rolls the window: it moves the head bucket's amount into
// the ring (a storage write, to a fresh slot at first) and expires the oldest bucket (a cold read).
// The bundler estimates an op's call gas on the chain as it is now; if a bucket boundary passes
// before the op lands, the roll was not in the estimate and the op runs out of gas in execution:
// the transfer fails and the account pays for it (reproduced in test/integration/windowRoll.test.ts).
// So when a boundary of one of the key's sliding windows is near, the op carries ROLL_CALL_GAS more
// call gas per such window. Unused call gas costs the account 10% of it (EntryPoint v0.7's penalty),
// which is why the margin is added only near a boundary, not to every op.
import type { PoliciesStruct } from '../permissions/codec.js';
import { PERIOD_KIND } from '../permissions/constants.js';

/** SlidingWindow.BUCKETS. */
export const WINDOW_BUCKETS = 24;
/**
 * Call gas for one window's roll between estimate and landing: at worst a cold ring slot written from
 * zero (2,100 + 20,000), the oldest bucket's cold read, the ring entries preCheck then reads, and the
 * code around them. The forge test `test_Gas_WindowRoll_FitsTheAgentsMargin` (HotPaths.t.sol)
 * measures that worst roll (`windowRoll_worst_extra` in contracts/snapshots/HotPathsTest.json) and
 * fails unless it fits under this, with a quarter of it to spare.
 */
export const ROLL_CALL_GAS = 40_000n;
/** How soon a boundary counts as near: longer than an op takes from estimate to landing. */
export const ROLL_HORIZON_SECONDS = 300;

/** SlidingWindow.width. */
export const bucketWidth = (period: number): number => Math.ceil(period / WINDOW_BUCKETS);

/** The periods of a key's sliding windows: its sliding spend limits and its rate limit. */
export function slidingPeriods(p: Pick<PoliciesStruct, 'spends' | 'rate'>): number[] {
  const spends = p.spends.filter((s) => s.kind === PERIOD_KIND.sliding).map((s) => s.period);
  return p.rate.maxCalls !== 0 ? [...spends, p.rate.period] : spends;
}

/** Extra call gas for the windows whose next bucket boundary is within `horizon` seconds of `now`. */
export function rollMargin(periods: number[], now: number, horizon = ROLL_HORIZON_SECONDS): bigint {
  let near = 0n;
  for (const period of periods) {
    if (period <= 0) continue;
    const w = bucketWidth(period);
    const next = (Math.floor(now / w) + 1) * w;
    if (next - now <= horizon) near++;
  }
  return near * ROLL_CALL_GAS;
}
