import type { FastifyInstance } from 'fastify';
import { WEBHOOK_ROUTE_PREFIX } from '../ingest/raw-body.js';

/**
 * A webhook URL asked with another method than POST (someone checking the endpoint with curl or a
 * browser) is answered 405 with `Allow: POST`, not 404: the URL is right, the method is not.
 */
export function answerWrongMethodOnWebhooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST' || !request.url.startsWith(WEBHOOK_ROUTE_PREFIX) || request.routeOptions.url !== undefined) return;
    const path = request.url.split('?', 1)[0];
    if (!fastify.hasRoute({ method: 'POST', url: path })) return;
    await reply
      .code(405)
      .header('allow', 'POST')
      .send({ error: 'method_not_allowed', message: `${request.method} is not accepted here: providers deliver webhooks with POST` });
  });
}
