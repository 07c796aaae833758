/**
 * Svix's schedule (config.default.toml, `retry_schedule`): the first attempt at once, then after 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about 27.6 hours. After the eighth failure the webhook is
 * disabled.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** How long after failed attempt `attempt` (1 = the first) the next one is made; null when none is left. */
export function retryDelayAfter(attempt: number): number | null {
  return attempt >= 1 && attempt < MAX_ATTEMPTS ? RETRY_DELAYS_MS[attempt - 1] : null;
}
