import { Catch, HttpException, Logger, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { noteRefusal } from './webhook-access-log.js';

/** Fastify's own errors (body too large, client gone…) carry a 4xx statusCode and a FST_ or system code. */
interface FrameworkError extends Error {
  statusCode: number;
  code?: string;
}

/**
 * The errors Fastify raises before a route runs, answered in the service's shape
 * (`{"error": "<code>", "message"}`) rather than Nest's `{statusCode, message}`:
 * - a body over WEBHOOK_BODY_LIMIT: 413 `payload_too_large`, naming the limit;
 * - a connection that closed before its whole body arrived (client gone, or cut at
 *   HTTP_REQUEST_TIMEOUT_MS): one warning with the request id (Nest logged it as an error of ours,
 *   with a stack trace and no request).
 * Everything else goes to Nest's own handling.
 */
@Catch()
export class ClientErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpRequest');

  constructor(
    applicationRef: HttpServer,
    private readonly bodyLimit: number,
  ) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Nest's Fastify adapter wraps Fastify's 4xx errors in an HttpException (the error is its cause).
    const error = exception instanceof HttpException ? exception.cause : exception;
    if (!isFrameworkClientError(error)) {
      noteRefusalOf(request, exception instanceof HttpException ? exception.getResponse() : undefined);
      return super.catch(exception, host);
    }
    if (error.code === 'ECONNRESET') {
      this.logger.warn(`${request.method} ${request.url} (request ${request.id}): the connection closed before the body arrived (the client hung up, or HTTP_REQUEST_TIMEOUT_MS passed and it was answered 408)`);
    }
    if (reply.sent) return;
    // Fastify's 4xx before a route: a body over its bodyLimit (413) or one it could not read (400).
    const body =
      error.statusCode === 413
        ? { error: 'payload_too_large', message: `the request body is larger than ${this.bodyLimit} bytes (WEBHOOK_BODY_LIMIT)` }
        : { error: 'bad_request', message: error.message };
    noteRefusalOf(request, body);
    reply.status(error.statusCode).send(body);
  }
}

function isFrameworkClientError(error: unknown): error is FrameworkError {
  if (error instanceof HttpException || !(error instanceof Error)) return false;
  const status = (error as Partial<FrameworkError>).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The error code a refused request is answered with, for its access log line (see webhook-access-log.ts). */
function noteRefusalOf(request: FastifyRequest, body: unknown): void {
  const code = (body as { error?: unknown } | undefined)?.error;
  if (typeof code === 'string') noteRefusal(request, code);
}
