import { Catch, HttpException, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';

/** Gives a 429 whose body says `retryAfterSeconds` the matching `Retry-After` header; otherwise Nest's own handling. */
@Catch(HttpException)
export class RetryAfterFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    const body = exception.getResponse();
    const retryAfterSeconds = typeof body === 'object' ? (body as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
    if (exception.getStatus() === HttpStatus.TOO_MANY_REQUESTS && typeof retryAfterSeconds === 'number') {
      host.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(retryAfterSeconds));
    }
    super.catch(exception, host);
  }
}
