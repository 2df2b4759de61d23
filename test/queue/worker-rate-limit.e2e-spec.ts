import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('WORKER_RATE_LIMIT_MAX (BullMQ limiter on the provider queues)', () => {
  let t: TestApp;
  const started: number[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WORKER_RATE_LIMIT_MAX: '2', WORKER_RATE_LIMIT_DURATION_MS: '1000', WORKER_CONCURRENCY: '10' });
    await resetLedger(t.prisma);
    t.app.get(EventHandlerRegistry).register({
      name: 'test-rate-limited',
      provider: 'synthetic',
      handles: (type) => type === 'widget.labeled',
      handle: async () => {
        started.push(Date.now());
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts at most 2 jobs per second however many are waiting', async () => {
    for (let i = 0; i < 6; i++) expect((await postSynthetic(t.url, syntheticDelivery('widget.labeled'))).status).toBe(202);

    await waitFor('six jobs to run', () => started.length === 6, 20_000);
    const sorted = [...started].sort((a, b) => a - b);
    // Six jobs, two per one-second window: the third cannot start before the first window has passed
    // and the fifth not before the second (less the jitter between the limiter's clock and the
    // handler's). Pairs inside later windows are not compared: a job delayed by a busy machine may
    // start late in its window, close to the next window's first job.
    expect(sorted[2] - sorted[0]).toBeGreaterThanOrEqual(700);
    expect(sorted[4] - sorted[0]).toBeGreaterThanOrEqual(1500);
  });
});
