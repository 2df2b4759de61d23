import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { githubDelivery, githubExample, postGithub } from './support/github-deliveries.js';
import { recordHandledEvents } from './support/handled-events.js';
import { capturedLogLines } from './support/log-capture.js';
import { PrivateRedis } from './support/private-redis.js';
import { resetLedger, startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

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
      const response = await postGithub(t.url, await githubDelivery('issues', githubExample('issues', 'opened')));
      expect(response.status).toBe(202);
      ids.push(response.body!.id as string);
    }
    // Give the dispatcher time to fail: the rows must still be there, waiting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waiting = await t.prisma.webhookEvent.findMany({ where: { id: { in: ids } } });
    expect(waiting.map((row) => row.status)).toEqual(ids.map(() => 'RECEIVED'));

    await redis.start();
    await waitFor(
      'every event to be processed after Redis returns',
      async () => (await t.prisma.webhookEvent.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } })) === ids.length,
      45_000,
    );
    expect([...handled].sort()).toEqual([...ids].sort());
  }, 60_000);

  it('logs a queue, worker or relay losing Redis once per outage, and its return, instead of every attempt', async () => {
    const rawErrors = vi.spyOn(console, 'error');
    const linesBefore = capturedLogLines.length;
    const linesOf = (context: string) =>
      capturedLogLines
        .slice(linesBefore)
        .map((line) => JSON.parse(line) as { level: number; context?: string; msg: string })
        .filter((line) => line.context === context);
    const queueLines = () => linesOf('Queue');
    try {
      await redis.stop();
      // A delivery the outbox relay tries to enqueue at every pass (every 300 ms here) while Redis is away.
      const response = await postGithub(t.url, await githubDelivery('issues', githubExample('issues', 'opened')));
      expect(response.status).toBe(202);
      // BullMQ reconnects about once a second at first: several failed attempts per connection.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await redis.start();
      const subjects = ['queue webhooks-github', 'worker webhooks-github'];
      await waitFor('every queue and worker to report Redis back', () =>
        subjects.every((subject) => queueLines().some((line) => line.msg.startsWith(`${subject}: connected again after`))),
      );
      await waitFor('the relay to enqueue the delivery', () => linesOf('OutboxRelay').some((line) => line.msg.startsWith('outbox relay: passes succeed again after')));

      // Per subject: each error message once (the same one repeated every attempt, never), then
      // one warning that it works again, counting the repeats it did not log.
      const expectOncePerOutage = (subject: string, lines: { level: number; msg: string }[], recovery: string, firstError: string) => {
        const own = lines.filter((line) => line.msg.startsWith(`${subject}: `));
        expect(own.every((line) => line.level === 40)).toBe(true);
        const errors = own.slice(0, -1).map((line) => line.msg);
        expect(errors[0]).toBe(`${subject}: ${firstError}`);
        expect(new Set(errors).size).toBe(errors.length);
        expect(own.at(-1)!.msg).toMatch(new RegExp(`^${subject}: ${recovery} after \\d+\\.\\d s; [1-9]\\d* repeated errors? (was|were) not logged$`));
      };
      for (const subject of subjects) {
        expectOncePerOutage(subject, queueLines(), 'connected again', `connect ECONNREFUSED ${new URL(redis.url).host}`);
      }
      expectOncePerOutage('outbox relay', linesOf('OutboxRelay'), 'passes succeed again', "Stream isn't writeable and enableOfflineQueue options is false");
      // Nothing printed around the log: BullMQ writes an 'error' nobody listens to with console.error.
      expect(rawErrors).not.toHaveBeenCalled();
    } finally {
      rawErrors.mockRestore();
    }
  }, 60_000);
});
