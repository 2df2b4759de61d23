import { getQueueToken } from '@nestjs/bullmq';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../src/core/ingest/outbox-relay.js';
import { webhookQueueName, WEBHOOK_JOB } from '../../src/core/queue/queue-names.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Redis without persistence loses every job when it restarts, and a job can fail for good while
 * the database is down (so its row never becomes DEAD). The relay must notice both.
 */
describe('outbox relay reconciliation', () => {
  let t: TestApp;
  let relay: OutboxRelay;
  let queue: Queue;

  beforeAll(async () => {
    // api role: no processor consumes the jobs, so their states can be inspected.
    t = await startTestApp({ APP_ROLE: 'api', OUTBOX_RELAY_INTERVAL_MS: '600000', OUTBOX_RECONCILE_AFTER_MS: '1000' });
    relay = t.app.get(OutboxRelay);
    queue = t.app.get<Queue>(getQueueToken(webhookQueueName('synthetic')), { strict: false });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    await queue.obliterate({ force: true });
  });

  async function row(
    status: 'RECEIVED' | 'QUEUED' | 'PROCESSING' | 'FAILED' | 'SUCCEEDED',
    idleSeconds: number,
    provider = 'synthetic',
  ): Promise<string> {
    const id = uuidv7();
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO webhook_events (id, provider, delivery_id, event_type, status, payload, received_at, updated_at)
       VALUES ($1::uuid, $5, $2, 'thing.created', $3::"EventStatus", '{}', now() - make_interval(secs => $4), now() - make_interval(secs => $4))`,
      id,
      randomUUID(),
      status,
      idleSeconds,
      provider,
    );
    return id;
  }

  /** Queues one single-attempt job per event and lets a worker that throws `message` fail each for good. */
  async function failForGood(ids: string[], message: string): Promise<void> {
    for (const id of ids) await queue.add(WEBHOOK_JOB, { eventId: id }, { jobId: id, attempts: 1 });
    const failing = new Worker(
      queue.name,
      async () => {
        throw new Error(message);
      },
      // The app's own connection: Redis, or the PostgreSQL queue's pool (either queue backend).
      { connection: queue.opts.connection, prefix: t.config.QUEUE_PREFIX },
    );
    try {
      let failed = 0;
      await new Promise<void>((resolve) => failing.on('failed', () => ++failed === ids.length && resolve()));
    } finally {
      await failing.close();
    }
  }

  it('relays the providers this process receives and leaves rows of unknown providers alone', async () => {
    const unknown = [await row('RECEIVED', 3600, 'retired-provider'), await row('QUEUED', 3600, 'retired-provider')];
    const received = await row('RECEIVED', 3600);

    const pass = await relay.runOnce();

    expect(pass).toEqual({ enqueued: 1, requeued: 0, retried: 0, gaveUp: 0 });
    expect(await queue.getJobState(received)).toBe('waiting');
    const rows = await t.prisma.webhookEvent.findMany({ where: { id: { in: unknown } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['RECEIVED', 'QUEUED']);
  });

  it('enqueues again QUEUED, PROCESSING and FAILED events whose job vanished, and leaves the rest alone', async () => {
    const vanished = [await row('QUEUED', 3600), await row('PROCESSING', 3600), await row('FAILED', 3600)];
    const recent = await row('QUEUED', 0);
    const finished = await row('SUCCEEDED', 3600);
    const waiting = await row('QUEUED', 3600);
    await queue.add(WEBHOOK_JOB, { eventId: waiting }, { jobId: waiting });

    const pass = await relay.runOnce();

    expect(pass.requeued).toBe(3);
    for (const id of vanished) expect(await queue.getJobState(id)).toBe('waiting');
    expect(await queue.getJobState(recent)).toBe('unknown');
    expect(await queue.getJobState(finished)).toBe('unknown');
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 4 });

    // A second pass finds the jobs in place and does nothing more.
    expect((await relay.runOnce()).requeued).toBe(0);
  });

  it('pages through a backlog larger than one pass, finding the vanished jobs among the waiting ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) ids.push(await row('QUEUED', 3600));
    ids.sort();
    // One job gone from each page of 500 (rows are read in id order); the other 598 are waiting.
    const vanished = [ids[100], ids[550]];
    const waiting = ids.filter((id) => !vanished.includes(id));
    await queue.addBulk(waiting.map((id) => ({ name: WEBHOOK_JOB, data: { eventId: id }, opts: { jobId: id } })));

    expect((await relay.runOnce()).requeued).toBe(1);
    expect(await queue.getJobState(vanished[0])).toBe('waiting');
    expect(await queue.getJobState(vanished[1])).toBe('unknown');

    expect((await relay.runOnce()).requeued).toBe(1);
    expect(await queue.getJobState(vanished[1])).toBe('waiting');
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 600 });

    // Back at the start, nothing is missing any more.
    expect((await relay.runOnce()).requeued).toBe(0);
  });

  it('retries a job that failed for good while its event is still QUEUED', async () => {
    const id = await row('QUEUED', 3600);
    await failForGood([id], 'database unavailable');
    expect(await queue.getJobState(id)).toBe('failed');

    const pass = await relay.runOnce();

    expect(pass.retried).toBe(1);
    expect(await queue.getJobState(id)).toBe('waiting');
  });

  it('ends DEAD, instead of retrying it again, an event whose job failed for good after its last attempt without the ledger recording it', async () => {
    // A payload that kills its worker (OOM, say) every time: each run claims the row (attempts + 1)
    // and dies, BullMQ fails the job once it has stalled too often, and a retry would start over.
    const exhausted = await row('PROCESSING', 3600);
    const retryable = await row('PROCESSING', 3600);
    await t.prisma.$executeRawUnsafe(`UPDATE webhook_events SET attempts = CASE WHEN id = $1::uuid THEN $3 ELSE $3 - 1 END WHERE id IN ($1::uuid, $2::uuid)`, exhausted, retryable, t.config.JOB_ATTEMPTS);
    await failForGood([exhausted, retryable], 'job stalled more than allowable limit');

    const pass = await relay.runOnce();

    expect(pass).toMatchObject({ retried: 1, gaveUp: 1 });
    expect(await queue.getJobState(retryable)).toBe('waiting');
    expect(await queue.getJobState(exhausted)).toBe('failed');
    const dead = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: exhausted } });
    expect(dead).toMatchObject({ status: 'DEAD', attempts: t.config.JOB_ATTEMPTS, statusReason: expect.stringMatching(/^gave up after 5 attempts: /) });
    expect(dead.processedAt).not.toBeNull();
    expect((await relay.runOnce()).retried).toBe(0);
  });
});
