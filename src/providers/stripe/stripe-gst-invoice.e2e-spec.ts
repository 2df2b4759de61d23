import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookQueueName } from '../../core/queue/queue-names.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { honoursOutputSchemaOnly, outputSchemaOf } from '../../../test/support/fake-anthropic.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { invoice, paymentIntent, postStripe, stripeDelivery, stripeEvent } from './testing/stripe-deliveries.js';
import { receivedMail } from './testing/received-mail.js';
import { startStripeApp, type StripeApp } from './testing/stripe-app.js';

const PROSE = {
  greeting: 'Hi Ravi,',
  thank_you: 'Thank you for your payment; it was a pleasure to have you with us.',
  purchase_line: 'This invoice covers your Pro plan for December 2026.',
};

describe('Stripe payment succeeded → one GST invoice e-mail (HTML + PDF), exactly once per payment intent', () => {
  let apis: StripeApp;
  const t = () => apis.t;

  async function deliver(event: Record<string, unknown>) {
    const response = await postStripe(t().url, stripeDelivery(event));
    expect([200, 202]).toContain(response.status);
    return response.body!.id as string;
  }

  beforeAll(async () => {
    apis = await startStripeApp();
  });
  afterAll(() => apis?.close());
  beforeEach(async () => {
    await apis.reset();
    apis.anthropic.fallback = honoursOutputSchemaOnly(PROSE);
  });

  it('INR, customer billed in our state: e-mail from the Customer object, CGST + SGST, amounts in the mail and the PDF', async () => {
    apis.stripeApi.addCustomer({ id: 'cus_NffrFeUfNV2Hib', email: 'ravi@customer.test', name: 'Ravi Kumar', address: { state: 'Karnataka', country: 'IN' } });
    const pi = paymentIntent({ id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', amount: 118000, currency: 'inr', customer: 'cus_NffrFeUfNV2Hib' });
    const id = await deliver(stripeEvent('payment_intent.succeeded', pi));
    const event = await eventSettled(t().prisma, id);
    expect(event).toMatchObject({ status: 'SUCCEEDED', subject: 'cus_NffrFeUfNV2Hib' });

    expect(apis.smtp.messages).toHaveLength(1);
    const mail = await receivedMail(apis.smtp.messages[0]);
    expect(mail.to).toEqual(['ravi@customer.test']);
    expect(mail.subject).toBe('Tax invoice INV-28A3TQPA from Acme Software Pvt Ltd');
    expect(mail.idempotencyKey).toBe('stripe-gst-invoice:pi_3MtwBwLkdIwHu7ix28a3tqPa');
    expect(mail.html).toContain('<p>Hi Ravi,</p>');
    expect(mail.html).toContain('This invoice covers your Pro plan for December 2026.');
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('INV-28A3TQPA');
      expect(body).toMatch(/Taxable value(<\/td><td[^>]*>|: )₹1,000\.00/);
      expect(body).toMatch(/CGST @ 9%(<\/td><td[^>]*>|: )₹90\.00/);
      expect(body).toMatch(/SGST @ 9%(<\/td><td[^>]*>|: )₹90\.00/);
      expect(body).toMatch(/Total \(GST included\)(<\/td><td[^>]*>|: )₹1,180\.00/);
      expect(body).not.toContain('IGST');
    }
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['INV-28A3TQPA.pdf', 'application/pdf']]);
    expect(mail.pdf).toContain('Invoice number: INV-28A3TQPA');
    expect(mail.pdf).toContain('GSTIN: 29ABCDE1234F1Z5');
    expect(mail.pdf).toContain('Ravi Kumar');
    expect(mail.pdf).toContain('Place of supply: Karnataka (29)');
    expect(mail.pdf).toMatch(/Taxable value INR 1,000\.00 CGST @ 9% INR 90\.00 SGST @ 9% INR 90\.00 Total \(GST included\) INR 1,180\.00/);
    expect(apis.stripeApi.requests.map((r) => r.path)).toEqual(['/v1/customers/cus_NffrFeUfNV2Hib']);

    // The model wrote only prose, through the output schema; the payment reached it as data.
    expect(apis.anthropic.requests).toHaveLength(1);
    const request = apis.anthropic.requests[0];
    expect(Object.keys(outputSchemaOf(request)!.properties as object)).toEqual(['greeting', 'thank_you', 'purchase_line']);
    expect(request.body.tools ?? []).toEqual([]);
    expect(request.body.messages[0].content as string).toMatch(/<untrusted_data name="payment">[\s\S]*Pro plan, December 2026/);
    const action = await t().prisma.agentAction.findFirstOrThrow({ where: { eventId: id } });
    expect(action).toMatchObject({ tool: 'send_email', status: 'EXECUTED', idempotencyKey: 'stripe-gst-invoice:pi_3MtwBwLkdIwHu7ix28a3tqPa' });
  });

  it('JPY (no decimals) and KWD (three), other or unknown state: IGST, and taxable + GST = amount to the minor unit', async () => {
    const jpy = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent({ amount: 11800, currency: 'jpy', receipt_email: 'kenji@customer.test', metadata: { billing_state: 'MH' } })));
    const kwd = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent({ amount: 12345, currency: 'kwd', metadata: { email: 'fatima@customer.test' } })));
    await eventSettled(t().prisma, jpy);
    await eventSettled(t().prisma, kwd);
    expect(apis.smtp.messages).toHaveLength(2);
    const mails = await Promise.all(apis.smtp.messages.map(receivedMail));
    const yen = mails.find((m) => m.to[0] === 'kenji@customer.test')!;
    const dinar = mails.find((m) => m.to[0] === 'fatima@customer.test')!;

    // 11800 / 1.18 = 10000; 12345 / 1.18 = 10461.86… → 10.462 + 1.883 = 12.345
    expect(yen.text).toContain('Taxable value: JP¥10,000\nIGST @ 18%: JP¥1,800\nTotal (GST included): JP¥11,800');
    expect(yen.pdf).toMatch(/Taxable value JPY 10,000 IGST @ 18% JPY 1,800 Total \(GST included\) JPY 11,800 /);
    expect(dinar.text).toContain('Taxable value: KWD 10.462\nIGST @ 18%: KWD 1.883\nTotal (GST included): KWD 12.345');
    expect(dinar.pdf).toMatch(/Taxable value KWD 10\.462 IGST @ 18% KWD 1\.883 Total \(GST included\) KWD 12\.345 /);
    expect(dinar.pdf).toContain('Place of supply: not given');
    for (const mail of mails) expect(mail.text).not.toMatch(/CGST|SGST/);
    expect(apis.stripeApi.requests).toHaveLength(0);
  });

  it('a retry storm (the same event five times, at once and spaced) sends one e-mail', async () => {
    const event = stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'storm@customer.test' }));
    const delivery = stripeDelivery(event);
    const burst = await Promise.all(Array.from({ length: 3 }, () => postStripe(t().url, delivery)));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    const id = burst[0].body!.id as string;
    await eventSettled(t().prisma, id);
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await postStripe(t().url, stripeDelivery(event))).toMatchObject({ status: 200, body: { id, status: 'duplicate' } });
    }
    expect((await t().prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).deliveryCount).toBe(5);
    expect(apis.smtp.messages).toHaveLength(1);
    expect(apis.anthropic.requests).toHaveLength(1);
  });

  it('invoice.paid and payment_intent.succeeded for one payment (at once), then a replay: one invoice', async () => {
    const pi = paymentIntent({ receipt_email: 'billing@customer.test', customer: 'cus_Billing1' });
    const paid = invoice({ payment_intent: pi.id, customer: 'cus_Billing1', customer_email: 'billing@customer.test', customer_address: { state: 'KA', country: 'IN' } });
    const [a, b] = await Promise.all([deliver(stripeEvent('invoice.paid', paid)), deliver(stripeEvent('payment_intent.succeeded', pi))]);
    const settled = [await eventSettled(t().prisma, a), await eventSettled(t().prisma, b)];
    expect(settled.map((e) => e.status).sort()).toEqual(['IGNORED', 'SUCCEEDED']);
    expect(settled.find((e) => e.status === 'IGNORED')!.statusReason).toContain(`was already sent`);
    expect(apis.smtp.messages).toHaveLength(1);
    expect((await receivedMail(apis.smtp.messages[0])).subject).toBe(`Tax invoice INV-${String(pi.id).slice(-8).toUpperCase()} from Acme Software Pvt Ltd`);

    // A replay of either event (and so a retried job) finds the invoice sent.
    const replays = t().app.get(AgentReplayService);
    await replays.replay(a);
    await replays.replay(b);
    expect(apis.smtp.messages).toHaveLength(1);
    expect(await t().prisma.agentAction.count({ where: { tool: 'send_email' } })).toBe(1);
  });

  it('a job retried after a crash between sending and completing sends nothing more', async () => {
    const id = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'crash@customer.test' })));
    await eventSettled(t().prisma, id);
    expect(apis.smtp.messages).toHaveLength(1);
    // What a crash right after the e-mail leaves: the action EXECUTED, the event PROCESSING, BullMQ running the job again.
    await t().prisma.webhookEvent.update({ where: { id }, data: { status: 'PROCESSING', processedAt: null } });
    const queue = t().app.get<Queue>(getQueueToken(webhookQueueName('stripe')), { strict: false });
    await ((await queue.getJob(id)) as Job).retry('completed');
    await waitFor('the retried job to finish', async () => (await t().prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).attempts === 2);
    expect((await eventSettled(t().prisma, id)).status).toBe('SUCCEEDED');
    expect(apis.smtp.messages).toHaveLength(1);
    expect(apis.anthropic.requests).toHaveLength(1);
    // No credential reached a log line.
    for (const secret of ['sk_test_stripeapikeyneverlogged', 'sk-ant-test-stripe-key', 'xoxb-test-stripe-token']) {
      expect(capturedLogLines.some((line) => line.includes(secret))).toBe(false);
    }
  });

  it('without any customer e-mail the event ends IGNORED ("no customer e-mail") and nothing is asked or sent', async () => {
    apis.stripeApi.addCustomer({ id: 'cus_NoEmail', email: null });
    const id = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent({ customer: 'cus_NoEmail' })));
    expect(await eventSettled(t().prisma, id)).toMatchObject({ status: 'IGNORED', statusReason: 'no customer e-mail' });
    const guest = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent()));
    expect(await eventSettled(t().prisma, guest)).toMatchObject({ status: 'IGNORED', statusReason: 'no customer e-mail' });
    expect(apis.anthropic.requests).toHaveLength(0);
    expect(apis.smtp.messages).toHaveLength(0);
  });

  it('refuses prose that states an amount of its own, and sends once the model complies', async () => {
    apis.anthropic.reset();
    let calls = 0;
    apis.anthropic.fallback = (request) => {
      calls += 1;
      const answer = calls === 1 ? { ...PROSE, thank_you: 'Thanks for paying ₹999.00 today.' } : PROSE;
      return honoursOutputSchemaOnly(answer)(request);
    };
    const id = await deliver(stripeEvent('payment_intent.succeeded', paymentIntent({ receipt_email: 'ravi@customer.test' })));
    await waitFor('the invoice', async () => (await t().prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status === 'SUCCEEDED');
    expect(calls).toBe(2);
    expect(apis.smtp.messages).toHaveLength(1);
    expect((await receivedMail(apis.smtp.messages[0])).text).not.toContain('999');
  });
});
