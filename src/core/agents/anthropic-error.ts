import { isPermanentHttpStatus } from '../connectors/is-permanent-http-status.js';
import { networkFailureDetail } from '../connectors/network-failure-detail.js';
import { redactSecrets } from '../connectors/redact-secrets.js';
import { PermanentError } from '../processing/permanent-error.js';
import { RateLimitedError } from '../processing/rate-limited-error.js';
import { rateLimitPauseMs } from '../queue/retry-after.js';

/**
 * Our classification of a failed Messages call, after the SDK's own retries: a rate limit (429) or
 * overload (529) becomes RateLimitedError, so the provider's queue waits (as long as Anthropic asks,
 * else 30 s) without using up an attempt: with JOB_ATTEMPTS=5 and 2 s backoff, a few minutes of
 * overload would otherwise turn every event DEAD. 5xx, timeouts and connection errors stay plain
 * errors, so the job is retried with backoff; invalid requests, bad credentials and unknown models
 * (other 4xx) become PermanentError. Every message starts with `anthropic:`, so that an event's
 * last_error says which upstream failed (the SDK's own "Connection error." names none). The API key
 * is scrubbed before the body is cut: a gateway at ANTHROPIC_BASE_URL may quote the key it refused,
 * and the message goes to the ledger, the logs and the job's failedReason (Bull Board).
 */
export async function classifyAnthropicError(err: unknown, apiKey: string | undefined): Promise<Error> {
  // Only called after a call through the SDK: the import is already loaded (see AgentRunner).
  const { APIError, APIConnectionError } = await import('@anthropic-ai/sdk');
  if (err instanceof APIError && typeof err.status === 'number') {
    const body = err.error ? redactSecrets(JSON.stringify(err.error), [apiKey]).slice(0, 500) : '';
    const message = `anthropic: HTTP ${err.status} ${body}`.trim();
    if (err.status === 429 || err.status === 529) return new RateLimitedError(message, rateLimitPauseMs(err.headers));
    return isPermanentHttpStatus(err.status) ? new PermanentError(message) : new Error(message);
  }
  if (err instanceof APIConnectionError) {
    // The timeout's own message ("Request timed out.") says it all; a connection error's cause says why.
    const why = err.cause ? `: ${networkFailureDetail(err.cause)}` : '';
    return new Error(redactSecrets(`anthropic: ${err.message.replace(/\.$/, '')}${why}`, [apiKey]));
  }
  return err instanceof Error ? err : new Error(String(err));
}
