import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';
import { webhookQueueName } from '../../src/core/queue/queue-names.js';
import { RECORDED_EVENT_TYPE, recordHandledEvents } from '../support/handled-events.js';
import { capturedLogLines, capturedLogRecords, type LogRecord } from '../support/log-capture.js';
import { PrivateRedis } from '../support/private-redis.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, TEST_PROVIDERS, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// Needs redis-server (a private one it can stop); skipped without it, except with CI=true.
describe.skipIf(!PrivateRedis.available())('Redis outage during ingest', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let handled: string[];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({ QUEUE_BACKEND: 'redis', REDIS_URL: redis.url, OUTBOX_RELAY_INTERVAL_MS: '300', HEALTH_CHECK_TIMEOUT_MS: '300' });
    await resetLedger(t.prisma);
    handled = recordHandledEvents(t.app, 'test-outage-counter');
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('keeps acknowledging while Redis is down, then processes every event once it is back', async () => {
    await redis.stop();
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { redis: { status: 'down' } }, details: { database: { status: 'up' } } });

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await postSynthetic(t.url, syntheticDelivery(RECORDED_EVENT_TYPE));
      expect(response.status).toBe(202);
      ids.push(response.body!.id as string);
    }
    // Each row is written QUEUED; the dispatcher, failing to enqueue, puts it back to RECEIVED for the outbox relay.
    await waitFor('every row to be back to RECEIVED, waiting for the relay', async () => {
      const rows = await t.prisma.webhookEvent.findMany({ where: { id: { in: ids } } });
      return rows.length === ids.length && rows.every((row) => row.status === 'RECEIVED');
    });

    await redis.start();
    await waitFor(
      'every event to be processed after Redis returns',
      async () => (await t.prisma.webhookEvent.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } })) === ids.length,
      45_000,
    );
    expect([...handled].sort()).toEqual([...ids].sort());
  }, 60_000);

  it('hands an enqueue that was in flight when Redis died to the outbox relay at once, instead of waiting for Redis', async () => {
    // Redis holds the add (CLIENT PAUSE WRITE), then dies with it unanswered.
    const admin = new Redis(redis.url);
    await admin.client('PAUSE', '10000', 'WRITE');
    admin.disconnect();
    const response = await postSynthetic(t.url, syntheticDelivery(RECORDED_EVENT_TYPE));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.stop();

    // ioredis would send the add again after each reconnect, 20 times: ~30 s of the flush waiting.
    await waitFor('the row to go back to RECEIVED', async () => (await t.prisma.webhookEvent.findUnique({ where: { id } }))?.status === 'RECEIVED', 3_000);

    await redis.start();
    await waitFor(
      'the event to be processed once Redis is back',
      async () => (await t.prisma.webhookEvent.findUnique({ where: { id } }))?.status === 'SUCCEEDED',
      30_000,
    );
    expect(handled.filter((handledId) => handledId === id)).toEqual([id]);
  }, 60_000);

  it('logs a queue, worker or relay losing Redis once per outage, and its return (within ~2 s of Redis), instead of every attempt', async () => {
    const rawErrors = vi.spyOn(console, 'error');
    const linesBefore = capturedLogLines.length;
    const linesOf = (context: string) => capturedLogRecords(linesBefore).filter((line) => line.context === context);
    const queueLines = () => linesOf('Queue');
    try {
      await redis.stop();
      // A delivery the outbox relay tries to enqueue at every pass (every 300 ms here) while Redis is away.
      const response = await postSynthetic(t.url, syntheticDelivery(RECORDED_EVENT_TYPE));
      expect(response.status).toBe(202);
      // Long enough for several failed attempts per connection, and for BullMQ's own reconnect
      // delay to have grown past 8 s (its default would then come back ~18 s after the stop).
      const outageMs = 11_000;
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      await redis.start();
      const subjects = ['queue webhooks-synthetic', 'worker webhooks-synthetic'];
      await waitFor('every queue and worker to report Redis back', () =>
        subjects.every((subject) => queueLines().some((line) => line.msg.startsWith(`${subject}: connected again after`))),
      );
      await waitFor('the relay to enqueue the delivery', () => linesOf('OutboxRelay').some((line) => line.msg.startsWith('outbox relay: passes succeed again after')));

      // Per subject: each error message once (the same one repeated every attempt, never), then
      // one warning that it works again, counting the repeats it did not log.
      const expectOncePerOutage = (subject: string, lines: LogRecord[], recovery: string, firstError: string) => {
        const own = lines.filter((line) => line.msg.startsWith(`${subject}: `));
        expect(own.every((line) => line.level === 40)).toBe(true);
        const errors = own.slice(0, -1).map((line) => line.msg);
        expect(errors[0]).toBe(`${subject}: ${firstError}`);
        expect(new Set(errors).size).toBe(errors.length);
        expect(own.at(-1)!.msg).toMatch(new RegExp(`^${subject}: ${recovery} after \\d+\\.\\d s; [1-9]\\d* repeated errors? (was|were) not logged$`));
      };
      for (const subject of subjects) {
        expectOncePerOutage(subject, queueLines(), 'connected again', `connect ECONNREFUSED ${new URL(redis.url).host}`);
        // Reconnect attempts at least every 2 s: back within ~2 s of Redis.
        const back = queueLines().find((line) => line.msg.startsWith(`${subject}: connected again after`))!;
        expect(Number(/after (\d+\.\d) s/.exec(back.msg)![1])).toBeLessThan(outageMs / 1000 + 2.5);
      }
      expectOncePerOutage('outbox relay', linesOf('OutboxRelay'), 'passes succeed again', "Stream isn't writeable and enableOfflineQueue options is false");
      // Nothing printed around the log: BullMQ writes an 'error' nobody listens to with console.error.
      expect(rawErrors).not.toHaveBeenCalled();
    } finally {
      rawErrors.mockRestore();
    }
  }, 60_000);
});

/** The queues a test app's workers serve: one per provider (the synthetic one among them), and the admin replays. */
const WORKER_QUEUES = [...TEST_PROVIDERS.map((provider) => webhookQueueName(provider.name)), 'admin-replays'];

describe.skipIf(!PrivateRedis.available())('shutdown while Redis is down', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  /** An app on the private Redis whose worker runs a handler held until `release()`. */
  async function appWithHeldHandler() {
    const app = await startTestApp({ QUEUE_BACKEND: 'redis', REDIS_URL: redis.url });
    await resetLedger(app.prisma);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    app.app.get(EventHandlerRegistry).register({
      name: 'test-held-handler',
      provider: 'synthetic',
      handles: (type) => type === 'widget.created',
      handle: async (event) => {
        started.push(event.id);
        await gate;
      },
    });
    const response = await postSynthetic(app.url, syntheticDelivery('widget.created'));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;
    await waitFor('the handler to start', () => started.includes(id));
    return { app, id, release, started };
  }

  /** The handler's outcome is in the ledger; once Redis is back BullMQ hands the job out again as stalled, and the processor finds the event finished. */
  async function expectSucceeded(app: TestApp, id: string): Promise<void> {
    const check = new pg.Client({ connectionString: app.config.DATABASE_URL });
    await check.connect();
    try {
      const { rows } = await check.query<{ status: string }>('SELECT status FROM webhook_events WHERE id = $1', [id]);
      expect(rows).toEqual([{ status: 'SUCCEEDED' }]);
    } finally {
      await check.end();
    }
  }

  it('lets the running handler finish and record its outcome, then closes at once instead of hanging on BullMQ', async () => {
    const { app, id, release, started } = await appWithHeldHandler();
    let closed = false;
    try {
      const linesBefore = capturedLogLines.length;
      await redis.stop();
      // A stop that begins before a worker has seen its connection drop takes BullMQ's own close
      // (the next test): the premise here is an outage the workers know about.
      await waitFor('every worker to see Redis go', () =>
        WORKER_QUEUES.every((queue) => capturedLogRecords(linesBefore).some((line) => line.msg.startsWith(`worker ${queue}: `))),
      );
      const closeStarted = Date.now();
      const closing = app.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closed).toBe(false); // waiting for the handler
      release();
      await closing;
      // BullMQ's own close waits for the job's completion in Redis, and ioredis for Redis: forever.
      expect(Date.now() - closeStarted).toBeLessThan(5_000);
      expect(started).toEqual([id]);
      await expectSucceeded(app, id);
    } finally {
      await redis.start();
      if (!closed) await app.close();
    }
  }, 60_000);

  it('still closes when a worker lost its blocking connection just before the stop, unnoticed', async () => {
    // The race of a stop that begins as Redis goes: a worker's blocking connection has dropped and
    // waits to reconnect, while its main connection (whose events the worker follows) is still up.
    // BullMQ's close then waits for that connection to end, which ioredis never signals.
    const app = await startTestApp({ QUEUE_BACKEND: 'redis', REDIS_URL: redis.url });
    const admin = new Redis(redis.url);
    let closed = false;
    try {
      const blocking = () => admin.client('LIST').then((list) => String(list).split('\n').filter((line) => / cmd=bzpopmin /.test(line)));
      // Every provider queue's worker and the replay queue's; a provider may run workers of its own too.
      await waitFor('every worker to block for jobs', async () => (await blocking()).length >= WORKER_QUEUES.length);
      const lost = await blocking();
      const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]);
      await admin.config('SET', 'maxclients', String(connected - lost.length)); // their reconnects are refused
      for (const line of lost) await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const closeStarted = Date.now();
      await app.close();
      closed = true;
      const closeMs = Date.now() - closeStarted;
      console.log(`closed in ${closeMs} ms with every blocking connection lost`);
      // Without ending the lost connections the close does not end at all; without also rejecting
      // the fetch ioredis kept to send again, it takes BullMQ's drainDelay (5 s) more.
      expect(closeMs).toBeLessThan(3_000);
    } finally {
      await admin.config('SET', 'maxclients', '10000');
      admin.disconnect();
      if (!closed) await app.close();
    }
  }, 60_000);
});
