import { isPermanentHttpStatus } from '../actions/connectors/is-permanent-http-status.js';
import { PermanentError } from '../queue/permanent-error.js';
import { RateLimitedError } from '../queue/rate-limited-error.js';

/** When a 429 says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 30_000;
/** A longer retry-after than this (a misread date, say) is capped: the queue re-checks then. */
export const MAX_RATE_LIMIT_PAUSE_MS = 15 * 60_000;

/**
 * Our classification of a failed Messages call, after the SDK's own retries: a rate limit (429)
 * becomes RateLimitedError, so the provider's queue waits as long as Anthropic asks without using up
 * an attempt; overload (529), 5xx, timeouts and connection errors stay plain errors, so the job is
 * retried with backoff; invalid requests, bad credentials and unknown models (other 4xx) become
 * PermanentError.
 */
export async function classifyAnthropicError(err: unknown): Promise<Error> {
  // Only called after a call through the SDK: the import is already loaded (see AgentRunner).
  const { APIError } = await import('@anthropic-ai/sdk');
  if (err instanceof APIError && typeof err.status === 'number') {
    const message = `anthropic: HTTP ${err.status} ${err.error ? JSON.stringify(err.error).slice(0, 500) : ''}`.trim();
    if (err.status === 429) return new RateLimitedError(message, rateLimitPauseMs(err.headers));
    return isPermanentHttpStatus(err.status) ? new PermanentError(message) : new Error(message);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** retry-after-ms, else retry-after (seconds or an HTTP date), as the SDK reads them for its own retries. */
export function rateLimitPauseMs(headers: Headers | undefined, now = Date.now()): number {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  const retryAfter = headers?.get('retry-after') ?? '';
  const seconds = Number(retryAfter);
  const wait = Number.isFinite(millis)
    ? millis
    : retryAfter.trim() !== '' && Number.isFinite(seconds)
      ? seconds * 1000
      : Date.parse(retryAfter) - now;
  if (!Number.isFinite(wait)) return DEFAULT_RATE_LIMIT_PAUSE_MS;
  return Math.min(Math.max(Math.ceil(wait), 1), MAX_RATE_LIMIT_PAUSE_MS);
}
