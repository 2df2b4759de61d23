import { PermanentError } from '../processing/permanent-error.js';
import { RateLimitedError } from '../processing/rate-limited-error.js';
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

/** `<service>: <detail>`, credentials scrubbed, then the detail cut to 500 characters (the other way round, a cut could halve a credential). */
function connectorMessage(service: string, detail: string, secrets: ReadonlyArray<string | undefined>): string {
  const scrubbed = redactSecrets(detail, secrets);
  return `${service}: ${scrubbed.length > 500 ? `${scrubbed.slice(0, 500)}…` : scrubbed}`;
}
