// How long a username must wait after failed logins. Pure: the store keeps the counters.
export const FREE_ATTEMPTS = 3;
export const BASE_DELAY_SECONDS = 5;
export const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds to wait after `failures` consecutive failures: 0,0,0,5,10,20,40 … capped at 15 min. */
export function lockoutDelaySeconds(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  const exp = Math.min(failures - FREE_ATTEMPTS, 20);
  return Math.min(BASE_DELAY_SECONDS * 2 ** exp, MAX_DELAY_SECONDS);
}

/** Seconds left before another attempt is allowed (0 = allowed now). */
export function retryAfterSeconds(failures: number, lastFailureAtMs: number, nowMs: number): number {
  const until = lastFailureAtMs + lockoutDelaySeconds(failures) * 1000;
  return Math.max(0, Math.ceil((until - nowMs) / 1000));
}
