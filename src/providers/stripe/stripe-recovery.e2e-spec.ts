import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { uuidv7 } from '../../core/http/uuid-v7.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { honoursOutputSchemaOnly, outputSchemaOf } from '../../../test/support/fake-anthropic.js';
import { ordinal } from './stripe-recovery.agent.js';
import { invoice, paymentIntent, postStripe, stripeDelivery, stripeEvent } from './testing/stripe-deliveries.js';
import { receivedMail } from './testing/received-mail.js';
import { startStripeApp, type StripeApp } from './testing/stripe-app.js';

const ANSWER = {
  subject: 'Your payment did not go through',
  message: 'Hi Ravi,\n\nYour bank declined the payment because the card has insufficient funds. Could you update your payment method?',
};
const DECLINE = { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };

function failedIntent(fields: Record<string, unknown> = {}) {
  return paymentIntent({ status: 'requires_payment_method', amount_received: 0, last_payment_error: DECLINE, ...fields });
}

describe('Stripe payment failed → one recovery message per customer per cooldown', () => {
  let apis: StripeApp;
  const t = () => apis.t;

  async function deliver(event: Record<string, unknown>) {
    const response = await postStripe(t().url, stripeDelivery(event));
    expect([200, 202]).toContain(response.status);
    return response.body!.id as string;
  }
  const slackPosts = () => apis.slack.requests.filter((r) => r.path === '/api/chat.postMessage').map(FakeSlackApi.fields);

  beforeAll(async () => {
    apis = await startStripeApp({ RECOVERY_SLACK_MIN_AMOUNT: '10000', RECOVERY_SLACK_CHANNEL: '#payments-alerts', RECOVERY_COOLDOWN: '24h' });
  });
  afterAll(() => apis?.close());
  beforeEach(async () => {
    await apis.reset();
    apis.anthropic.fallback = honoursOutputSchemaOnly(ANSWER);
  });

  it('e-mails a short personal message with the amount and the update link; the model read the decline; no Slack below the threshold', async () => {
    const id = await deliver(stripeEvent('payment_intent.payment_failed', failedIntent({ amount: 118000, customer: 'cus_Ravi', receipt_email: 'ravi@customer.test' })));
    expect(await eventSettled(t().prisma, id)).toMatchObject({ status: 'SUCCEEDED' });

    expect(apis.smtp.messages).toHaveLength(1);
    const mail = await receivedMail(apis.smtp.messages[0]);
    expect(mail).toMatchObject({ to: ['ravi@customer.test'], subject: 'Your payment did not go through' });
    expect(mail.text).toContain('insufficient funds');
    expect(mail.text).toContain('Amount: ₹1,180.00');
    expect(mail.text).toContain('Update your payment: https://acme.test/billing/update');
    expect(mail.html).toContain('<a href="https://acme.test/billing/update">');

    const request = apis.anthropic.requests[0];
    expect(Object.keys(outputSchemaOf(request)!.properties as object)).toEqual(['subject', 'message']);
    const prompt = request.body.messages[0].content as string;
    expect(prompt).toContain('It is the first failed payment of this customer this calendar month');
    expect(prompt).toMatch(/<untrusted_data name="failure">[\s\S]*"decline_code": ?"insufficient_funds"/);
    expect(slackPosts()).toHaveLength(0);
  });

  it('invoice.payment_failed and payment_intent.payment_failed of one subscription payment, at once: one message', async () => {
    const pi = failedIntent({ customer: 'cus_Sub', receipt_email: 'sub@customer.test' });
    const inv = invoice({ status: 'open', amount_paid: 0, amount_remaining: 118000, paid: false, payment_intent: pi.id, customer: 'cus_Sub', customer_email: 'sub@customer.test' });
    const ids = await Promise.all([deliver(stripeEvent('invoice.payment_failed', inv)), deliver(stripeEvent('payment_intent.payment_failed', pi))]);
    const events = await Promise.all(ids.map((id) => eventSettled(t().prisma, id)));
    expect(events.map((e) => e.status).sort()).toEqual(['IGNORED', 'SUCCEEDED']);
    expect(events.find((e) => e.status === 'IGNORED')!.statusReason).toContain('a recovery message was already sent to cus_Sub within RECOVERY_COOLDOWN (24h)');
    expect(apis.smtp.messages).toHaveLength(1);
  });

  it('uses the hosted invoice page as the link when the invoice event comes first, and says it is the third failure this month (counted in the ledger)', async () => {
    // Two earlier failures, outside the cooldown (the ledger is where the count comes from). Usually
    // both are this month; in the first day or so of a month the count says how many are.
    const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    const earlier = [Date.now() - 26 * 3_600_000, Date.now() - 25 * 3_600_000];
    for (const when of earlier) {
      await t().prisma.webhookEvent.create({
        data: { id: uuidv7(when), provider: 'stripe', deliveryId: `evt_${randomUUID()}`, eventType: 'payment_intent.payment_failed', subject: 'cus_Third', status: 'SUCCEEDED', payload: {}, receivedAt: new Date(when) },
      });
    }
    const expected = 1 + earlier.filter((when) => when >= monthStart).length;
    const inv = invoice({ status: 'open', amount_paid: 0, payment_intent: 'pi_3Third0000000000', customer: 'cus_Third', customer_email: 'third@customer.test' });
    const id = await deliver(stripeEvent('invoice.payment_failed', inv));
    expect(await eventSettled(t().prisma, id)).toMatchObject({ status: 'SUCCEEDED' });
    const mail = await receivedMail(apis.smtp.messages[0]);
    expect(mail.text).toContain(`Update your payment: ${inv.hosted_invoice_url}`);
    expect(apis.anthropic.requests[0].body.messages[0].content as string).toContain(`It is the ${ordinal(expected)} failed payment of this customer this calendar month`);
  });

  it('within the cooldown a later failure of the same customer is recorded IGNORED with the reason, not sent; a replay sends nothing', async () => {
    const first = await deliver(stripeEvent('payment_intent.payment_failed', failedIntent({ customer: 'cus_Cool', receipt_email: 'cool@customer.test' })));
    expect((await eventSettled(t().prisma, first)).status).toBe('SUCCEEDED');
    const second = await deliver(stripeEvent('payment_intent.payment_failed', failedIntent({ customer: 'cus_Cool', receipt_email: 'cool@customer.test', last_payment_error: { ...DECLINE, decline_code: 'expired_card' } })));
    const ignored = await eventSettled(t().prisma, second);
    expect(ignored).toMatchObject({ status: 'IGNORED', statusReason: `a recovery message was already sent to cus_Cool within RECOVERY_COOLDOWN (24h): event ${first}` });
    await t().app.get(AgentReplayService).replay(first);
    expect(apis.smtp.messages).toHaveLength(1);
    expect(apis.anthropic.requests).toHaveLength(1);
  });

  it('a high-value failure also reaches Slack, once, with the message sent', async () => {
    const id = await deliver(stripeEvent('payment_intent.payment_failed', failedIntent({ amount: 2500000, customer: 'cus_Big', receipt_email: 'big@customer.test' })));
    expect(await eventSettled(t().prisma, id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(apis.smtp.messages).toHaveLength(1);
    const posts = slackPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0].channel).toBe('#payments-alerts');
    expect(posts[0].text).toContain('Payment of ₹25,000.00 failed for cus_Big');
    expect(posts[0].text).toContain('insufficient funds');
    expect(await t().prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' }, select: { tool: true, status: true } })).toEqual([
      { tool: 'send_email', status: 'EXECUTED' },
      { tool: 'post_slack_message', status: 'EXECUTED' },
    ]);
    await t().app.get(AgentReplayService).replay(id);
    expect(slackPosts()).toHaveLength(1);
  });
});
