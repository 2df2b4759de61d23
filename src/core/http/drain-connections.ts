import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown for keep-alive clients. Fastify closes the connections that are idle when it
 * starts closing, but a connection busy at that moment would stay open (and keep the process alive)
 * until its keep-alive timeout. Once closing has begun, every response says `Connection: close`,
 * so each in-flight request still gets its answer and its connection ends right after it.
 */
export function drainConnectionsOnClose(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  // Callback style: an async hook would cost a promise on every response.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
