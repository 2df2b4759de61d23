// The HTTP ceiling of the machine, for scale: a bare Fastify route that reads the body and answers
// 202 with a small JSON body, nothing else (no verification, no ledger, no queue). run-bench.mjs
// drives it with the same wrk script as the ingest saturation phase, with as many processes as the
// api tier (BENCH_API_PROCESSES, node:cluster, one shared port).
// Usage: node http-ceiling-server.mjs <port>
import Fastify from 'fastify';
import { serveAsTier } from './cluster-tier.mjs';

await serveAsTier(Number(process.env.BENCH_API_PROCESSES ?? 1), async () => {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/webhooks/github', async (_request, reply) => {
    reply.code(202);
    return { id: '00000000-0000-7000-8000-000000000000', status: 'accepted' };
  });
  await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
});
