// A hand-written receiver doing what Hookwise's ingest path does, without Nest: Fastify, GitHub's
// HMAC check, JSON parse, group commit into the same webhook_events table (an insert-on-conflict
// like Hookwise's, same indexes), 202 after the commit, BullMQ addBulk right after the commit, off
// the response path.
// It keeps none of Hookwise's other duties (payload validation, access log, backpressure, error
// mapping, outbox). run-bench.mjs drives it with the same wrk script, for scale.
// Usage: DATABASE_URL=… REDIS_URL=… GITHUB_WEBHOOK_SECRET=… node reference-receiver.mjs <port>
import { timingSafeEqual } from 'node:crypto';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { signature } from './bench-delivery.mjs';
import { serveAsTier } from './cluster-tier.mjs';

await serveAsTier(Number(process.env.BENCH_API_PROCESSES ?? 1), () => serve(Number(process.argv[2])));

async function serve(port) {
  const secret = process.env.GITHUB_WEBHOOK_SECRET;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const queue = new Queue('webhooks-github', {
    connection: { url: process.env.REDIS_URL, enableOfflineQueue: false },
    prefix: process.env.QUEUE_PREFIX ?? 'hookwise-reference',
  });

  const INSERT = {
    name: 'reference_insert_batch',
    text: `
INSERT INTO webhook_events (id, provider, delivery_id, event_type, subject, status, payload, headers)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::"EventStatus"[], $7::jsonb[], $8::jsonb[])
ON CONFLICT (provider, delivery_id) DO UPDATE
  SET delivery_count = webhook_events.delivery_count + 1, last_delivered_at = now()
RETURNING id, delivery_id, (xmax = 0) AS inserted`,
  };

  // Group commit: whatever arrives while a flush is in flight is written by the next one.
  let waiting = [];
  let flushing = false;
  function record(delivery) {
    return new Promise((resolve, reject) => {
      waiting.push({ delivery, resolve, reject });
      if (!flushing) void flush();
    });
  }
  async function flush() {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, 500);
      const d = batch.map((b) => b.delivery);
      try {
        const { rows } = await pool.query({
          ...INSERT,
          values: [
            d.map((x) => x.id), d.map(() => 'github'), d.map((x) => x.deliveryId), d.map((x) => x.eventType),
            d.map(() => null), d.map(() => 'QUEUED'), d.map((x) => x.payload), d.map((x) => x.headers),
          ],
        });
        const byDelivery = new Map(rows.map((r) => [r.delivery_id, r]));
        for (const b of batch) {
          const row = byDelivery.get(b.delivery.deliveryId);
          b.resolve(row ? { id: row.id, duplicate: !row.inserted } : { id: b.delivery.id, duplicate: true });
        }
        const fresh = rows.filter((r) => r.inserted);
        if (fresh.length > 0) {
          queue.addBulk(fresh.map((r) => ({ name: 'webhook-event', data: { eventId: r.id }, opts: { jobId: r.id } }))).catch(() => undefined);
        }
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    flushing = false;
  }

  const app = Fastify({ bodyLimit: 5 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/webhooks/github', async (request, reply) => {
    const body = request.body;
    const received = request.headers['x-hub-signature-256'];
    const expected = Buffer.from(signature(body, secret));
    if (typeof received !== 'string' || received.length !== expected.length || !timingSafeEqual(Buffer.from(received), expected)) {
      return reply.code(401).send({ error: 'invalid_signature' });
    }
    const deliveryId = request.headers['x-github-delivery'];
    const eventType = request.headers['x-github-event'];
    let payload;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'invalid_json' });
    }
    const action = typeof payload.action === 'string' ? `.${payload.action}` : '';
    const recorded = await record({
      id: uuidv7(),
      deliveryId,
      eventType: `${eventType}${action}`,
      payload: body.toString('utf8'),
      headers: JSON.stringify({ 'x-github-event': eventType, 'x-github-delivery': deliveryId }),
    });
    reply.code(recorded.duplicate ? 200 : 202);
    return { id: recorded.id, status: recorded.duplicate ? 'duplicate' : 'accepted' };
  });
  await app.listen({ port, host: '127.0.0.1' });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      await app.close();
      await Promise.allSettled([queue.close(), pool.end()]);
      process.exit(0);
    });
  }
}
