import { PermanentError } from '../../queue/permanent-error.js';
import { RateLimitedError } from '../../queue/rate-limited-error.js';
import { redactSecrets } from './redact-secrets.js';

export interface ConnectorErrorOptions {
  /** Retrying cannot help (bad request, unknown channel, revoked credentials...). */
  permanent: boolean;
  /** Credential values to scrub from the message. */
  secrets: ReadonlyArray<string | undefined>;
}

/**
 * The error a connector throws: a PermanentError (no retry) or a plain Error (the job is retried).
 * The client library's error is deliberately not attached as `cause`: it may carry request
 * headers or connection URLs, and loggers print causes.
 */
export function connectorError(service: string, detail: string, options: ConnectorErrorOptions): Error {
  const message = connectorMessage(service, detail, options.secrets);
  return options.permanent ? new PermanentError(message) : new Error(message);
}

/** The error a connector throws when the API rate limited the call: the job waits `retryAfterMs` (see RateLimitedError). */
export function connectorRateLimited(service: string, detail: string, retryAfterMs: number, secrets: ReadonlyArray<string | undefined>): RateLimitedError {
  return new RateLimitedError(connectorMessage(service, detail, secrets), retryAfterMs);
}

/** `<service>: <detail>`, the detail cut to 500 characters, credentials scrubbed. */
function connectorMessage(service: string, detail: string, secrets: ReadonlyArray<string | undefined>): string {
  const truncated = detail.length > 500 ? `${detail.slice(0, 500)}…` : detail;
  return redactSecrets(`${service}: ${truncated}`, secrets);
}
