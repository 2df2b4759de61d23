/** When a rate-limited answer says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 30_000;
/** A longer wait than this (a misread date, an hour-long quota window) is capped: the queue re-checks then. */
export const MAX_RATE_LIMIT_PAUSE_MS = 15 * 60_000;

/** Reads one response header by its lower-case name. */
export type HeaderLookup = (name: string) => string | null | undefined;

/**
 * How long a rate-limited answer asks to wait: `retry-after-ms`, else `retry-after` (seconds or an
 * HTTP date), else `x-ratelimit-reset` (epoch seconds, as GitHub sends it); `fallbackMs` (30 s)
 * without any of them, and always between 1 ms and 15 minutes.
 */
export function rateLimitPauseMs(header: HeaderLookup, { now = Date.now(), fallbackMs = DEFAULT_RATE_LIMIT_PAUSE_MS } = {}): number {
  const millis = Number.parseFloat(header('retry-after-ms') ?? '');
  const retryAfter = (header('retry-after') ?? '').trim();
  const resetAt = Number.parseInt(header('x-ratelimit-reset') ?? '', 10);
  let wait = Number.NaN;
  if (Number.isFinite(millis)) wait = millis;
  else if (retryAfter !== '') wait = Number.isFinite(Number(retryAfter)) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
  else if (Number.isFinite(resetAt)) wait = resetAt * 1000 - now;
  if (!Number.isFinite(wait)) return fallbackMs;
  return Math.min(Math.max(Math.ceil(wait), 1), MAX_RATE_LIMIT_PAUSE_MS);
}
