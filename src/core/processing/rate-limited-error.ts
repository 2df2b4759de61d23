/**
 * An upstream API refused the call for rate limiting, and its client's own retries are spent (a
 * 429 from Anthropic, say). The attempt does not count: the event waits `retryAfterMs` and the
 * provider's queue starts no other job meanwhile (see WebhookEventProcessor). Waiting out a rate
 * limit this way never turns an event DEAD.
 */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
