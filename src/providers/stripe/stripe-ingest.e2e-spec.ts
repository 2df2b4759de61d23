import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { eventSettled } from '../../../test/support/event-settled.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { invoice, paymentIntent, postStripe, stripeDelivery, stripeEvent, TEST_STRIPE_SECRET } from './testing/stripe-deliveries.js';

const OLD_SECRET = 'whsec_old_rolled_secret_do_not_log';
const now = () => Math.floor(Date.now() / 1000);

describe('Stripe webhooks: receiving and Stripe-Signature (stripe package)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Agents off: these tests are about receiving; a rotated secret (new first, old still valid).
    t = await startTestApp({ STRIPE_WEBHOOK_SECRET: `${TEST_STRIPE_SECRET},${OLD_SECRET}` });
  });
  afterAll(() => t?.close());
  beforeEach(() => resetLedger(t.prisma));

  it('accepts a signed event: delivery id = event id, type, subject = customer; livemode, api_version and account kept', async () => {
    const event = stripeEvent('customer.subscription.updated', { id: 'sub_1MowQVLkdIwHu7ixeRlqHVzs', object: 'subscription', customer: 'cus_NffrFeUfNV2Hib' }, { account: 'acct_1032D82eZvKYlo2C', livemode: true });
    const response = await postStripe(t.url, stripeDelivery(event));
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.any(String), status: 'accepted' });

    const row = await eventSettled(t.prisma, response.body!.id as string);
    expect(row).toMatchObject({ provider: 'stripe', deliveryId: event.id, eventType: 'customer.subscription.updated', subject: 'cus_NffrFeUfNV2Hib' });
    expect(row.payload).toMatchObject({ livemode: true, api_version: '2025-03-31.basil', account: 'acct_1032D82eZvKYlo2C' });
    // No handler for this type: recorded IGNORED with the reason.
    expect(row).toMatchObject({ status: 'IGNORED', statusReason: 'no handler for stripe event customer.subscription.updated' });
    expect(row.headers).not.toHaveProperty('stripe-signature');
  });

  it('takes the receipt e-mail as subject when there is no customer', async () => {
    const event = stripeEvent('payment_intent.created', paymentIntent({ receipt_email: 'Ravi@Customer.test' }));
    const response = await postStripe(t.url, stripeDelivery(event));
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row.subject).toBe('ravi@customer.test');
  });

  it('answers a redelivery of the same event 200 duplicate, with one ledger row', async () => {
    const event = stripeEvent('invoice.finalized', invoice({ customer: 'cus_1' }));
    const first = await postStripe(t.url, stripeDelivery(event));
    const again = await postStripe(t.url, stripeDelivery(event));
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { id: first.body!.id, status: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count()).toBe(1);
  });

  it('refuses a timestamp older or newer than 300 s, and accepts one just inside', async () => {
    const stale = await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { timestamp: now() - 301 }));
    expect(stale).toMatchObject({ status: 401, body: { error: 'timestamp_out_of_tolerance' } });
    const future = await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { timestamp: now() + 310 }));
    expect(future).toMatchObject({ status: 401, body: { error: 'timestamp_out_of_tolerance' } });
    const inside = await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { timestamp: now() - 280 }));
    expect(inside.status).toBe(202);
    expect(await t.prisma.webhookEvent.count()).toBe(1);
  });

  it('never accepts v0, even correctly computed', async () => {
    const response = await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { scheme: 'v0' }));
    expect(response).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('accepts one valid v1 among several (a secret being rolled), and a delivery signed only with the old secret', async () => {
    const event = stripeEvent('invoice.finalized', invoice());
    const body = JSON.stringify(event, null, 2);
    const bogus = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_someone_else' }).split(',')[1];
    const several = stripeDelivery(event, { body, extraSignatures: [bogus, 'v1=potato', 'v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39'] });
    expect(several.headers['stripe-signature'].match(/v1=/g)).toHaveLength(3);
    expect((await postStripe(t.url, several)).status).toBe(202);

    expect((await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { secret: OLD_SECRET }))).status).toBe(202);
    const unknown = await postStripe(t.url, stripeDelivery(stripeEvent('invoice.finalized', invoice()), { secret: 'whsec_not_ours' }));
    expect(unknown).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
  });

  it('refuses a tampered body, a missing header and a header without t=', async () => {
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ amount: 100 }));
    const signed = stripeDelivery(event);
    const tampered = { ...signed, body: signed.body.replace('"amount": 100', '"amount": 1') };
    expect(tampered.body).not.toBe(signed.body);
    expect(await postStripe(t.url, tampered)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const { 'stripe-signature': _omitted, ...unsigned } = signed.headers;
    expect(await postStripe(t.url, { body: signed.body, headers: unsigned })).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    const noTimestamp = { ...signed, headers: { ...signed.headers, 'stripe-signature': signed.headers['stripe-signature'].replace(/^t=\d+,/, '') } };
    expect(await postStripe(t.url, noTimestamp)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
    expect(capturedLogLines.some((line) => line.includes(signed.headers['stripe-signature'].split('v1=')[1]))).toBe(false);
    expect(capturedLogLines.some((line) => line.includes(TEST_STRIPE_SECRET))).toBe(false);
  });

  it('with agents off, a successful payment is recorded IGNORED ("agents are off") and nothing is sent', async () => {
    const response = await postStripe(t.url, stripeDelivery(stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'ravi@customer.test' }))));
    const row = await eventSettled(t.prisma, response.body!.id as string);
    expect(row).toMatchObject({ status: 'IGNORED', statusReason: expect.stringMatching(/^agents are off: /) });
    expect(await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: row.id } })).toMatchObject({ agent: 'stripe-gst-invoice', status: 'SKIPPED' });
    expect(await t.prisma.agentAction.count()).toBe(0);
  });

  it('refuses a signed body that is not a Stripe event (400 invalid_payload)', async () => {
    const response = await postStripe(t.url, stripeDelivery({ id: 'not-an-event', object: 'charge' }));
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
  });
});
