import type { FastifyInstance } from 'fastify';
import { noteRefusal } from '../http/webhook-access-log.js';
import { WEBHOOK_ROUTE_PREFIX } from '../http/webhook-route-prefix.js';

const BACKLOG_REFUSAL = 'backlog_too_old';

/**
 * Refuses webhooks with 429 + Retry-After while the backlog is older than INGEST_MAX_BACKLOG. It
 * runs as Fastify's first hook, before the body is read or the signature checked: when we are
 * behind, refusing must cost next to nothing. Providers retry 429s later. `retryAfterSeconds` is
 * BacklogMonitor's answer: seconds to wait, or null while deliveries are accepted.
 */
export function registerBackpressureHook(fastify: FastifyInstance, retryAfterSeconds: () => number | null): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'POST' && request.url.startsWith(WEBHOOK_ROUTE_PREFIX)) {
      const retryAfter = retryAfterSeconds();
      if (retryAfter !== null) {
        noteRefusal(request, BACKLOG_REFUSAL);
        reply
          .code(429)
          .header('retry-after', String(retryAfter))
          .send({ error: BACKLOG_REFUSAL, message: `events are waiting longer than the configured bound; retry in ${retryAfter} s` });
        return;
      }
    }
    done();
  });
}
