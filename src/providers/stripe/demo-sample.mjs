// The delivery `npm run demo` sends to /webhooks/stripe (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A `customer.created`: recorded and IGNORED (no handler takes it), so no invoice is e-mailed.
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'STRIPE_WEBHOOK_SECRET';

/** An event signed as Stripe signs: Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">. */
export function demoDelivery(secret) {
  const created = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(
    {
      id: `evt_demo_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      api_version: '2025-03-31.basil',
      created,
      data: { object: { id: 'cus_DemoCustomer01', object: 'customer', email: 'demo@example.com', name: 'Demo Customer', livemode: false } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'customer.created',
    },
    null,
    2,
  );
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': `t=${created},v1=${createHmac('sha256', secret).update(`${created}.${body}`).digest('hex')}`,
    },
  };
}
