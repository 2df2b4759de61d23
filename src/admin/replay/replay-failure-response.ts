import { HttpException, HttpStatus } from '@nestjs/common';
import type { ReplayFailedError } from '../../core/agents/replay-failed.error.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';

/**
 * The answer to a replay whose handler threw, instead of a bare 500: what failed, and the replay id
 * under which its agent run is recorded (FAILED, with the error). 429 when an upstream API rate
 * limited it (retry after `retryAfterSeconds`), 422 when retrying cannot help (PermanentError), 502
 * otherwise (the model or a connector failed, or timed out).
 */
export function replayFailureResponse(failure: ReplayFailedError): HttpException {
  const { message, replayId, cause } = failure;
  if (cause instanceof RateLimitedError) {
    const retryAfterSeconds = Math.ceil(cause.retryAfterMs / 1000);
    return new HttpException({ statusCode: 429, error: 'upstream_rate_limited', message, replayId, retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
  if (cause instanceof PermanentError) {
    return new HttpException({ statusCode: 422, error: 'replay_failed_permanently', message, replayId }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
  return new HttpException({ statusCode: 502, error: 'replay_failed', message, replayId }, HttpStatus.BAD_GATEWAY, { cause });
}
