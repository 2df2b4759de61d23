import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

export const TEST_STRIPE_SECRET = 'whsec_test_stripe_secret_do_not_log';
export const API_VERSION = '2025-03-31.basil';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** A PaymentIntent shaped like the API reference's example object. */
export function paymentIntent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const amount = (fields.amount as number | undefined) ?? 118000;
  return {
    id: id('pi_3Mtw'),
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: amount,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { enabled: true },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: 'pi_secret_redacted',
    confirmation_method: 'automatic',
    created: Math.floor(Date.now() / 1000) - 5,
    currency: 'inr',
    customer: null,
    description: 'Pro plan, December 2026',
    last_payment_error: null,
    latest_charge: id('ch_3Mtw'),
    livemode: false,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: id('pm_1Mtw'),
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
    ...fields,
  };
}

/** An Invoice shaped like the API reference's example object (with the pre-basil `payment_intent` field). */
export function invoice(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: id('in_1MtH'),
    object: 'invoice',
    account_country: 'IN',
    account_name: 'Acme Software Pvt Ltd',
    amount_due: 118000,
    amount_paid: 118000,
    amount_remaining: 0,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: Math.floor(Date.now() / 1000) - 5,
    currency: 'inr',
    customer: null,
    customer_address: null,
    customer_email: null,
    customer_name: null,
    description: null,
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1M2JTkLkdIwHu7ix/test_YWNjdF8xTTJKVGtMa2RJd0h1N2l4',
    lines: { object: 'list', data: [{ id: id('il_1MtH'), object: 'line_item', amount: 118000, currency: 'inr', description: '1 × Pro plan (at ₹1,180.00 / month)' }], has_more: false },
    livemode: false,
    metadata: {},
    number: 'ACME-0001',
    paid: true,
    payment_intent: null,
    status: 'paid',
    subscription: id('sub_1MtH'),
    total: 118000,
    ...fields,
  };
}

/** An Event (API reference, "The Event object") around `object`. */
export function stripeEvent(type: string, object: Record<string, unknown>, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: id('evt_1Mtw'),
    object: 'event',
    api_version: API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: id('req'), idempotency_key: null },
    type,
    ...fields,
  };
}

export interface StripeDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * Signs a delivery the way Stripe does, with the stripe package (`generateTestHeaderString`): pretty
 * JSON as Stripe sends it. `timestamp` in seconds; `extraSignatures` appends more `v1=`/`v0=` entries;
 * `scheme: 'v0'` signs with the (never accepted) v0 scheme only.
 */
export function stripeDelivery(
  event: Record<string, unknown>,
  options: { secret?: string; timestamp?: number; scheme?: string; extraSignatures?: string[]; body?: string } = {},
): StripeDelivery {
  const body = options.body ?? JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? TEST_STRIPE_SECRET,
    timestamp: options.timestamp,
    scheme: options.scheme,
  });
  const signature = [header, ...(options.extraSignatures ?? [])].join(',');
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': signature } };
}

/** POSTs a delivery to /webhooks/stripe and returns the status and parsed body. */
export function postStripe(baseUrl: string, delivery: StripeDelivery): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/stripe', delivery);
}
