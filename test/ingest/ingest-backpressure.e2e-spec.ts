import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BacklogMonitor } from '../../src/core/ingest/backlog-monitor.js';
import { accessLineOf, capturedLogLines } from '../support/log-capture.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitingEvent } from '../support/waiting-event.js';

describe('backpressure (INGEST_MAX_BACKLOG)', () => {
  let t: TestApp;
  let monitor: BacklogMonitor;

  beforeAll(async () => {
    // A relay interval long enough that the relay never touches the rows these tests plant.
    t = await startTestApp({ INGEST_MAX_BACKLOG: '5', OUTBOX_RELAY_INTERVAL_MS: '600000' });
    monitor = t.app.get(BacklogMonitor);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    await monitor.refresh();
  });

  it('answers 429 with Retry-After and stores nothing while the oldest waiting event is older than the bound', async () => {
    await waitingEvent(t, 'QUEUED', 30);
    await monitor.refresh();

    const since = capturedLogLines.length;
    const refused = syntheticDelivery('thing.created');
    const response = await postSynthetic(t.url, refused);
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ error: 'backlog_too_old' });
    // Its access line says why, as for every refused delivery.
    const access = await accessLineOf(refused.deliveryId, since);
    expect(access).toMatchObject({ res: { statusCode: 429 }, refusal: 'backlog_too_old' });
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await t.prisma.webhookEvent.count()).toBe(1);
  });

  it('accepts again once the backlog has drained', async () => {
    const id = await waitingEvent(t, 'RECEIVED', 30);
    await monitor.refresh();
    expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(429);

    await t.prisma.webhookEvent.update({ where: { id }, data: { status: 'SUCCEEDED' } });
    await monitor.refresh();
    expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(202);
  });

  it('accepts when waiting events are younger than the bound, and ignores events already being processed', async () => {
    await waitingEvent(t, 'QUEUED', 1);
    await waitingEvent(t, 'PROCESSING', 120);
    await monitor.refresh();
    expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(202);
  });

  it('does not guard other routes', async () => {
    await waitingEvent(t, 'QUEUED', 30);
    await monitor.refresh();
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });
});

describe('without INGEST_MAX_BACKLOG', () => {
  it('accepts whatever the backlog', async () => {
    const t = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '600000' });
    try {
      await resetLedger(t.prisma);
      await waitingEvent(t, 'QUEUED', 3600);
      await t.app.get(BacklogMonitor).refresh();
      expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(202);
    } finally {
      await t.close();
    }
  });
});
