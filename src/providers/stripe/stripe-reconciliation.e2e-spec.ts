import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReconciliationService } from '../../core/reconciliation/reconciliation.service.js';
import { admin, ADMIN_KEY } from '../../../test/support/admin-client.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { honoursOutputSchemaOnly } from '../../../test/support/fake-anthropic.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { startWorkerProcess } from '../../../test/support/worker-process.js';
import type { PrismaService } from '../../core/database/prisma.service.js';
import type { WebhookProviderDefinition } from '../../core/index.js';
import { receivedMail } from './testing/received-mail.js';
import { paymentIntent, postStripe, stripeDelivery, stripeEvent } from './testing/stripe-deliveries.js';
import { startStripeApp, type StripeApp } from './testing/stripe-app.js';
import { StripeWebhookProvider } from './stripe-webhook.provider.js';

const PROSE = { greeting: 'Hi,', thank_you: 'Thank you for your payment.', purchase_line: 'This invoice covers your Pro plan.' };
const MINUTE = 60_000;
const ago = (ms: number) => Math.floor((Date.now() - ms) / 1000);

/** Sets Stripe's stored point (how far back the next run looks), forgetting earlier runs unless told not to. */
async function pointAt(prisma: PrismaService, agoMs: number, keepRuns = false) {
  if (!keepRuns) await prisma.reconciliationRun.deleteMany({ where: { source: 'stripe' } });
  const reconciledUntil = new Date(Date.now() - agoMs);
  await prisma.reconciliationPoint.upsert({ where: { source: 'stripe' }, create: { source: 'stripe', reconciledUntil }, update: { reconciledUntil } });
  return reconciledUntil;
}

/** A customer.created event `agoMs` ago: no handler takes it (IGNORED at once), for volume. */
function customerCreated(agoMs: number) {
  const id = `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
  return stripeEvent('customer.created', { id, object: 'customer', email: null }, { created: ago(agoMs) });
}

describe('Stripe reconciliation: events Stripe has and the ledger lacks are ingested, once', () => {
  let apis: StripeApp;
  const t = () => apis.t;

  async function runThroughAdmin() {
    const before = await t().prisma.reconciliationRun.count({ where: { source: 'stripe' } });
    const response = await admin(t().url, '/admin/reconciliation/run?source=stripe', { method: 'POST' });
    expect(response.status).toBe(202);
    return waitFor('the reconciliation run to finish', async () => {
      const runs = await t().prisma.reconciliationRun.findMany({ where: { source: 'stripe', finishedAt: { not: null } }, orderBy: { startedAt: 'asc' } });
      return runs.length > before ? runs.at(-1) : null;
    });
  }

  beforeAll(async () => {
    apis = await startStripeApp({ ADMIN_API_KEYS: ADMIN_KEY });
  });
  afterAll(() => apis?.close());
  beforeEach(async () => {
    await apis.reset();
    apis.anthropic.fallback = honoursOutputSchemaOnly(PROSE);
    await pointAt(t().prisma, 60 * MINUTE);
  });

  it('an event never delivered is ingested once (provenance reconciled) and its invoice sent once; the late delivery and a second run change nothing', async () => {
    const missed = stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'missed@customer.test' }), { created: ago(20 * MINUTE) });
    const delivered = stripeEvent('customer.created', { id: 'cus_Delivered1', object: 'customer' }, { created: ago(30 * MINUTE) });
    const beforePoint = stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'old@customer.test' }), { created: ago(120 * MINUTE) });
    for (const event of [beforePoint, delivered, missed]) apis.stripeApi.addEvent(event);
    expect((await postStripe(t().url, stripeDelivery(delivered))).status).toBe(202);

    const run = await runThroughAdmin();
    expect(run).toMatchObject({ status: 'SUCCEEDED', found: 2, missing: 1, ingested: 1, redelivered: 0, errors: 0 });
    const row = await t().prisma.webhookEvent.findUniqueOrThrow({ where: { provider_deliveryId: { provider: 'stripe', deliveryId: missed.id as string } } });
    expect(row).toMatchObject({ provenance: 'reconciled', eventType: 'payment_intent.succeeded', deliveryCount: 1 });
    expect(await eventSettled(t().prisma, row.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(apis.smtp.messages).toHaveLength(1);
    expect((await receivedMail(apis.smtp.messages[0])).to).toEqual(['missed@customer.test']);
    expect(await t().prisma.webhookEvent.count({ where: { deliveryId: beforePoint.id as string } })).toBe(0);
    // The list call went to Stripe with the window, authenticated with the API key.
    const lists = apis.stripeApi.requests.filter((r) => r.path === '/v1/events');
    expect(lists).toHaveLength(1);
    expect(lists[0].query.get('created[gte]')).toBe(String(Math.ceil(run.since.getTime() / 1000)));
    expect(lists[0].query.get('created[lt]')).toBe(String(Math.ceil(run.until.getTime() / 1000)));

    // The operator sees where it came from.
    const detail = await admin(t().url, `/admin/events/${row.id}`);
    expect(detail.body).toMatchObject({ provenance: 'reconciled', deliveryId: missed.id });
    const listed = await admin(t().url, '/admin/events?provider=stripe');
    expect(listed.body.items.map((e: { deliveryId: string; provenance: string }) => [e.deliveryId, e.provenance]).sort()).toEqual(
      [
        [delivered.id, 'webhook'],
        [missed.id, 'reconciled'],
      ].sort(),
    );

    // Stripe's own (late) delivery of it: a duplicate.
    expect(await postStripe(t().url, stripeDelivery(missed))).toMatchObject({ status: 200, body: { id: row.id, status: 'duplicate' } });
    // The same window again.
    await pointAt(t().prisma, 60 * MINUTE, true);
    expect(await runThroughAdmin()).toMatchObject({ status: 'SUCCEEDED', found: 2, missing: 0, ingested: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(apis.smtp.messages).toHaveLength(1);
    expect(apis.anthropic.requests).toHaveLength(1);
    expect(await t().prisma.webhookEvent.count({ where: { provider: 'stripe' } })).toBe(2);

    const metrics = await admin(t().url, '/metrics');
    expect(metrics.body).toContain('hookwise_reconciled_total{provider="stripe",outcome="ingested"} 1');
    expect(metrics.body).toContain('hookwise_reconciled_total{provider="stripe",outcome="found"} 4');
  });

  it('a run alongside the real (late) delivery of the same event: one ledger row, one invoice', async () => {
    const late = stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'race@customer.test' }), { created: ago(5 * MINUTE) });
    apis.stripeApi.addEvent(late);
    const [outcome, response] = await Promise.all([t().app.get(ReconciliationService).run('stripe', 'manual'), postStripe(t().url, stripeDelivery(late))]);
    expect(outcome).toMatchObject({ ran: true, run: { status: 'SUCCEEDED', found: 1 } });
    expect([200, 202]).toContain(response.status);
    const rows = await t().prisma.webhookEvent.findMany({ where: { provider: 'stripe', deliveryId: late.id as string } });
    expect(rows).toHaveLength(1);
    await eventSettled(t().prisma, rows[0].id);
    expect(apis.smtp.messages).toHaveLength(1);
  });

  it("an event fetched from the API is stored as the provider's redact() keeps it, as a received one would be", async () => {
    const definition: WebhookProviderDefinition = t().app.get(StripeWebhookProvider, { strict: false });
    const event = customerCreated(5 * MINUTE);
    (event.data as { object: Record<string, unknown> }).object.client_secret = 'cus_secret_never_stored';
    apis.stripeApi.addEvent(event);
    definition.redact = (payload) => {
      const copy = structuredClone(payload) as { data: { object: Record<string, unknown> } };
      copy.data.object.client_secret = '[removed at ingest]';
      return { payload: copy };
    };
    try {
      expect(await t().app.get(ReconciliationService).run('stripe', 'manual')).toMatchObject({ ran: true, run: { ingested: 1 } });
    } finally {
      delete definition.redact;
    }
    const row = await t().prisma.webhookEvent.findUniqueOrThrow({ where: { provider_deliveryId: { provider: 'stripe', deliveryId: event.id as string } } });
    expect(row.payload).toMatchObject({ id: event.id, data: { object: { client_secret: '[removed at ingest]' } } });
    expect(JSON.stringify(row.payload)).not.toContain('cus_secret_never_stored');
  });

  it('a run that fails mid-pagination keeps the point and what it ingested; the next one starts from the point and ingests the rest, each once', async () => {
    const events = Array.from({ length: 150 }, (_, i) => customerCreated((5 + i / 10) * MINUTE));
    for (const event of [...events].reverse()) apis.stripeApi.addEvent(event);
    const point = (await t().prisma.reconciliationPoint.findUniqueOrThrow({ where: { source: 'stripe' } })).reconciledUntil;
    apis.stripeApi.failEventListsAfter = 1;

    const failed = await runThroughAdmin();
    expect(failed).toMatchObject({ status: 'FAILED', since: point, found: 100, ingested: 100 });
    expect(failed.lastError).toMatch(/stripe: 500 fake stripe failure mid-pagination/);
    expect(failed.lastError).not.toContain('sk_test_stripeapikeyneverlogged');
    expect((await t().prisma.reconciliationPoint.findUniqueOrThrow({ where: { source: 'stripe' } })).reconciledUntil).toEqual(point);

    apis.stripeApi.failEventListsAfter = null;
    const resumed = await runThroughAdmin();
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', since: point, found: 150, missing: 50, ingested: 50 });
    const rows = await t().prisma.webhookEvent.findMany({ where: { provider: 'stripe' }, select: { deliveryId: true, provenance: true } });
    expect(rows.map((r) => r.deliveryId).sort()).toEqual(events.map((e) => e.id as string).sort());
    expect(new Set(rows.map((r) => r.provenance))).toEqual(new Set(['reconciled']));
  });
});

describe('Stripe reconciliation cut off by a crash', () => {
  let apis: StripeApp;

  beforeAll(async () => {
    // The api role only: the run is taken by the worker process this test kills.
    apis = await startStripeApp({ APP_ROLE: 'api', ADMIN_API_KEYS: ADMIN_KEY });
  });
  afterAll(() => apis?.close());

  it('a worker killed mid-run leaves the point where it was; the next run marks it INTERRUPTED and starts from the point', async () => {
    const { t, stripeApi } = apis;
    await apis.reset();
    const point = await pointAt(t.prisma, 60 * MINUTE);
    const events = Array.from({ length: 3 }, (_, i) => customerCreated((5 + i) * MINUTE));
    for (const event of events) stripeApi.addEvent(event);
    stripeApi.eventListDelayMs = 30_000;

    const worker = await startWorkerProcess(t.config, { STRIPE_API_KEY: 'sk_test_stripeapikeyneverlogged', STRIPE_API_URL: stripeApi.url, RECONCILE_INTERVAL: 'off' });
    try {
      expect((await admin(t.url, '/admin/reconciliation/run?source=stripe', { method: 'POST' })).status).toBe(202);
      await waitFor('the worker to be listing events', () => stripeApi.requests.some((r) => r.path === '/v1/events'));
      expect(await t.prisma.reconciliationRun.findFirst({ where: { source: 'stripe' } })).toMatchObject({ status: 'RUNNING', since: point });
      expect((await admin(t.url, '/admin/reconciliation/run?source=stripe', { method: 'POST' })).status).toBe(409);
    } finally {
      await worker.kill();
    }

    // PostgreSQL ends the dead process's sessions, and with them its lock.
    await waitFor('the lock to go with the process', async () => (await admin(t.url, '/admin/reconciliation')).body.sources.find((s: { source: string }) => s.source === 'stripe').running === false);
    stripeApi.eventListDelayMs = 0;
    const outcome = await t.app.get(ReconciliationService).run('stripe', 'manual');
    expect(outcome).toMatchObject({ ran: true, run: { status: 'SUCCEEDED', since: point, found: 3, ingested: 3 } });
    const runs = await t.prisma.reconciliationRun.findMany({ where: { source: 'stripe' }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((r) => r.status)).toEqual(['INTERRUPTED', 'SUCCEEDED']);
    expect(await t.prisma.webhookEvent.count({ where: { provider: 'stripe', provenance: 'reconciled' } })).toBe(3);
  });
});
