import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { WEBHOOK_ROUTE_PREFIX } from './webhook-route-prefix.js';

/** The ledger event a request created or found, for its access line. */
export function noteEventId(request: FastifyRequest, eventId: string): void {
  (request.raw as AccessLogNotes).eventId = eventId;
}

/** Says why a request was refused (the error code it is answered with), for its access line. */
export function noteRefusal(request: FastifyRequest, code: string): void {
  (request.raw as AccessLogNotes).refusal = code;
}

/** What the request's handling leaves on the raw request for its access line. */
interface AccessLogNotes {
  eventId?: string;
  refusal?: string;
}

/**
 * The access log of the webhook routes. They are left out of nestjs-pino's request middleware
 * (see loggerOptions): a child logger and an async context per request are a large share of the
 * ingest path at saturation, and nothing logs from inside a webhook request. This hook writes the
 * same "request completed" line once the answer is sent: info for 2xx, warn for a refused
 * delivery, error for a 5xx; a refused delivery's line says why (`refusal`: the error code it was
 * answered with, e.g. `signature_mismatch`).
 *
 * The line holds no body and its headers go through the root logger's `req` serializer, which keeps
 * only LOGGED_HEADERS (never a signature), so it skips the redaction paths, whose wildcards cost
 * more than the rest of the line.
 */
export function logWebhookRequests(fastify: FastifyInstance): void {
  let accessLog: Logger | undefined;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.url.startsWith(WEBHOOK_ROUTE_PREFIX)) {
      accessLog ??= PinoLogger.root.child({}, { redact: { paths: [] } });
      const statusCode = reply.statusCode;
      const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
      const { eventId, refusal } = request.raw as AccessLogNotes;
      accessLog[level](
        {
          reqId: request.id,
          req: { id: request.id, method: request.method, url: request.url, headers: request.headers },
          res: reply.raw,
          responseTime: Math.round(reply.elapsedTime * 100) / 100,
          ...(eventId ? { eventId } : {}),
          ...(refusal ? { refusal } : {}),
        },
        statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
