import type { FastifyInstance } from 'fastify';
import { WEBHOOK_ROUTE_PREFIX } from './webhook-route-prefix.js';

/**
 * A webhook URL asked with another method than POST (someone checking the endpoint with curl or a
 * browser) is answered 405 with `Allow: POST`, not 404: the URL is right, the method is not.
 */
export function answerWrongMethodOnWebhooks(fastify: FastifyInstance): void {
  // A callback hook, not an async one: every delivery passes here, and returns at the first test.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'POST' || !request.url.startsWith(WEBHOOK_ROUTE_PREFIX) || request.routeOptions.url !== undefined) return done();
    if (!fastify.hasRoute({ method: 'POST', url: request.url.split('?', 1)[0] })) return done();
    reply
      .code(405)
      .header('allow', 'POST')
      .send({ error: 'method_not_allowed', message: `${request.method} is not accepted here: providers deliver webhooks with POST` });
  });
}
