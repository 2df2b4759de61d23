import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown for keep-alive clients. Fastify closes the connections that are idle when it
 * starts closing, but a connection busy at that moment would stay open (and keep the process alive)
 * until its keep-alive timeout. Once closing has begun, every response says `Connection: close`,
 * so each in-flight request still gets its answer and its connection ends right after it.
 *
 * Node stops enforcing its request deadline once the server closes, so a client still sending its
 * request (or one that declared a body and never sent it) would hold the stop until
 * SHUTDOWN_TIMEOUT_MS. Whatever connection is left `cutAfterMs` after closing began is cut: by then
 * every honest request has arrived, and its sender has given up on a slow answer anyway.
 */
export function drainConnectionsOnClose(fastify: FastifyInstance, cutAfterMs: number): void {
  let closing = false;
  let cutOff: NodeJS.Timeout | undefined;
  fastify.addHook('preClose', async () => {
    closing = true;
    cutOff = setTimeout(() => fastify.server.closeAllConnections(), cutAfterMs).unref();
  });
  fastify.addHook('onClose', async () => clearTimeout(cutOff));
  // Callback style: an async hook would cost a promise on every response.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
