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
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}
