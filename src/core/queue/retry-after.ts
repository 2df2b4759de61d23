/** When a rate-limited answer says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 30_000;
/** A longer wait than this (a misread date, an hour-long quota window) is capped: the queue re-checks then. */
export const MAX_RATE_LIMIT_PAUSE_MS = 15 * 60_000;

/** Response headers as the clients hold them: fetch's Headers, or a plain object keyed by lower-case name. */
export type ResponseHeaders = Pick<Headers, 'get'> | Readonly<Record<string, string | number | undefined>>;

/**
 * How long a rate-limited answer asks to wait: `retry-after-ms`, else `retry-after` (seconds or an
 * HTTP date), else `x-ratelimit-reset` (epoch seconds, as GitHub sends it); `fallbackMs` (30 s)
 * without any of them (or without headers), and always between 1 ms and 15 minutes.
 */
export function rateLimitPauseMs(headers: ResponseHeaders | undefined, { now = Date.now(), fallbackMs = DEFAULT_RATE_LIMIT_PAUSE_MS } = {}): number {
  const header = (name: string): string | undefined => {
    const value = isFetchHeaders(headers) ? headers.get(name) : headers?.[name];
    return value === null || value === undefined ? undefined : String(value);
  };
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

function isFetchHeaders(headers: ResponseHeaders | undefined): headers is Pick<Headers, 'get'> {
  return typeof headers?.get === 'function';
}
