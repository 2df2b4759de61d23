import { describe, expect, it } from 'vitest';
import type { StripeEvent } from './stripe-event.schema.js';
import { paymentOf } from './stripe-payment.js';
import { invoice, paymentIntent, stripeEvent } from './testing/stripe-deliveries.js';

const of = (type: string, object: Record<string, unknown>) => paymentOf(stripeEvent(type, object) as unknown as StripeEvent);

describe('paymentOf', () => {
  it('reads a PaymentIntent: amount received, receipt e-mail before metadata, the decline', () => {
    const pi = paymentIntent({ id: 'pi_1', amount: 5000, amount_received: 0, currency: 'usd', customer: 'cus_1', receipt_email: 'a@x.test', metadata: { email: 'b@x.test', billing_state: 'KA' }, last_payment_error: { code: 'card_declined', decline_code: 'expired_card', message: 'Your card has expired.' } });
    expect(of('payment_intent.payment_failed', pi)).toMatchObject({
      paymentIntentId: 'pi_1', amount: 5000, currency: 'USD', customerId: 'cus_1', email: 'a@x.test', state: 'KA',
      failure: { code: 'card_declined', declineCode: 'expired_card', message: 'Your card has expired.' },
    });
    expect(of('payment_intent.succeeded', paymentIntent({ receipt_email: null, metadata: { email: 'b@x.test' } })).email).toBe('b@x.test');
    expect(of('payment_intent.succeeded', paymentIntent({ receipt_email: 'not an address' })).email).toBeNull();
  });

  it('reads an Invoice: its payment intent (field, or an expanded customer object), or the basil payments list', () => {
    expect(of('invoice.paid', invoice({ payment_intent: 'pi_old', customer: { id: 'cus_2', object: 'customer' } }))).toMatchObject({ paymentIntentId: 'pi_old', customerId: 'cus_2', amount: 118000 });
    const basil = invoice({ payment_intent: undefined, payments: { object: 'list', data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: 'pi_new' } }] } });
    expect(of('invoice.paid', basil).paymentIntentId).toBe('pi_new');
    expect(of('invoice.paid', invoice()).paymentIntentId).toBeNull();
    const failed = of('invoice.payment_failed', invoice({ status: 'open', amount_paid: 0, amount_due: 4200, customer_address: { state: 'Tamil Nadu' } }));
    expect(failed).toMatchObject({ amount: 4200, state: 'Tamil Nadu', hostedInvoiceUrl: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\//) });
  });
});
