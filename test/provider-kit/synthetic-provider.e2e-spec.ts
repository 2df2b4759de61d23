import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookQueueName } from '../../src/core/queue/queue-names.js';
import { eventSettled } from '../support/event-settled.js';
import { SyntheticEchoHandler } from '../support/synthetic-provider/synthetic-echo.handler.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { syntheticProvider } from '../support/synthetic-provider/index.js';
import { resetLedger, startTestApp, startTestWorker, type TestApp } from '../support/test-app.js';

/**
 * A provider defined entirely outside src/ (test/support/synthetic-provider: a definition with the
 * shared HMAC scheme, one handler, defineWebhookProvider) and handed to the application: the core
 * needs nothing else to receive, verify, ledger, queue and process its deliveries.
 */
describe('a provider defined with defineWebhookProvider and nothing else', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JOB_ATTEMPTS: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
  });

  it('gets its endpoint: a signed delivery is 202, ledgered with its id, type and subject, and handled once', async () => {
    const delivery = syntheticDelivery('thing.created', { subject: 'acme/widgets' });
    const answer = await postSynthetic(t.url, delivery);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ id: expect.any(String), status: 'accepted' });

    const row = await eventSettled(t.prisma, answer.body!.id as string);
    expect(row).toMatchObject({ provider: 'synthetic', deliveryId: delivery.deliveryId, eventType: 'thing.created', subject: 'acme/widgets', status: 'SUCCEEDED' });
    expect(row.headers).toEqual({ 'x-synthetic-delivery': delivery.deliveryId, 'user-agent': 'synthetic-sender/1.0', 'content-type': 'application/json' });
    expect(t.app.get(SyntheticEchoHandler).handled).toContain(row.id);

    const again = await postSynthetic(t.url, delivery);
    expect(again).toMatchObject({ status: 200, body: { id: row.id, status: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count()).toBe(1);
  });

  it('verifies with the shared scheme it configured: a forged signature is 401 and stores nothing', async () => {
    const forged = syntheticDelivery('thing.created', {}, { secret: 'not-the-secret' });
    const answer = await postSynthetic(t.url, forged);
    expect(answer).toMatchObject({ status: 401, body: { error: 'signature_mismatch', message: 'x-synthetic-signature does not match the body' } });
    const unsigned = syntheticDelivery('thing.created');
    delete unsigned.headers['x-synthetic-signature'];
    expect(await postSynthetic(t.url, unsigned)).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it("reads deliveries through its own describe(): a payload it refuses is 400 with its reason, a ping is IGNORED", async () => {
    const untyped = syntheticDelivery('', {}, { body: JSON.stringify({ subject: 'x' }) });
    expect(await postSynthetic(t.url, untyped)).toMatchObject({ status: 400, body: { error: 'missing_event_type', message: 'the payload has no type' } });
    const ping = await postSynthetic(t.url, syntheticDelivery('ping'));
    expect(ping.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: ping.body!.id as string } });
    expect(row).toMatchObject({ status: 'IGNORED', statusReason: 'ping: the sender checking that the endpoint is reachable' });
  });

  it("routes by its handler's outcome: ignored with a reason, permanent failure DEAD, unknown type IGNORED", async () => {
    const skipped = await postSynthetic(t.url, syntheticDelivery('thing.skipped'));
    const broken = await postSynthetic(t.url, syntheticDelivery('thing.broken'));
    const unknown = await postSynthetic(t.url, syntheticDelivery('other.event'));
    expect(await eventSettled(t.prisma, skipped.body!.id as string)).toMatchObject({ status: 'IGNORED', statusReason: 'skipped on purpose' });
    expect(await eventSettled(t.prisma, broken.body!.id as string)).toMatchObject({ status: 'DEAD', attempts: 1 });
    expect(await eventSettled(t.prisma, unknown.body!.id as string)).toMatchObject({ status: 'IGNORED' });
  });

  it('has its own queue, and its processor runs in a worker-role process', async () => {
    const queue = t.app.get<Queue>(getQueueToken(webhookQueueName('synthetic')));
    expect(queue.name).toBe('webhooks-synthetic');
    let worker: INestApplicationContext | undefined;
    try {
      worker = await startTestWorker(t.config);
      expect(worker.get(syntheticProvider.processor)).toBeInstanceOf(syntheticProvider.processor);
      expect(syntheticProvider.processor.name).toBe('SyntheticProcessor');
    } finally {
      await worker?.close();
    }
  });
});
