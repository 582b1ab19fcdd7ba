// How full a window is, as a level the UI colours: the same thresholds for every bar, so "near"
// means the same thing on a spend limit and a rate limit.

export type UsageLevel = 'ok' | 'near' | 'full';

/** At 80% the user should notice before the agent gets refused. */
export const NEAR_FRACTION = 0.8;

/**
 * 'full' at or past the limit (the next spend of any size is refused; a limit of 0 is always
 * full), 'near' from 80%, else 'ok'. Exact on bigints: no float rounding at the thresholds.
 */
export function usageLevel(used: bigint, limit: bigint): UsageLevel {
  if (used >= limit) return 'full';
  if (used * 10n >= limit * 8n) return 'near';
  return 'ok';
}

/** used / limit in [0, 1], for a bar's width (a limit of 0 reads as full). */
export function usageFraction(used: bigint, limit: bigint): number {
  if (limit <= 0n || used >= limit) return 1;
  if (used <= 0n) return 0;
  return Number((used * 10_000n) / limit) / 10_000;
}
