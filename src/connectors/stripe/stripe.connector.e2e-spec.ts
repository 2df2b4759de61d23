import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { StripeConnectorConfig } from './stripe-connector.config.js';
import { StripeConnector } from './stripe.connector.js';
import { FakeStripeApi } from './testing/fake-stripe-api.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';

const KEY = 'sk_test_connectorkeyneverlogged123';

describe('StripeConnector (stripe SDK → STRIPE_API_URL)', () => {
  let api: FakeStripeApi;
  let stripe: StripeConnector;

  beforeAll(async () => {
    api = await FakeStripeApi.start();
    stripe = connectorFromEnv(StripeConnector, StripeConnectorConfig, { STRIPE_API_KEY: KEY, STRIPE_API_URL: api.url });
  });
  afterAll(() => api.stop());
  beforeEach(() => api.reset());

  it('reads a customer through the SDK with the key as bearer token', async () => {
    api.addCustomer({ id: 'cus_NffrFeUfNV2Hib', email: 'jennyrosen@example.com', name: 'Jenny Rosen', address: { state: 'KA', country: 'IN' } });
    const customer = await stripe.customer('cus_NffrFeUfNV2Hib');
    expect(customer).toEqual({ id: 'cus_NffrFeUfNV2Hib', email: 'jennyrosen@example.com', name: 'Jenny Rosen', state: 'KA', country: 'IN', deleted: false });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/v1/customers/cus_NffrFeUfNV2Hib' });
    expect(api.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('answers null for a customer Stripe does not know (404), once, without retrying', async () => {
    expect(await stripe.customer('cus_missing')).toBeNull();
    expect(api.requests).toHaveLength(1);
  });

  it('lists events, filtered by type and paged', async () => {
    for (let i = 1; i <= 3; i++) api.addEvent({ id: `evt_${i}`, object: 'event', type: i === 2 ? 'invoice.paid' : 'payment_intent.succeeded', created: 1700000000 + i });
    const page = await stripe.listEvents({ types: ['payment_intent.succeeded'], limit: 1 });
    expect(page.events.map((e) => e.id)).toEqual(['evt_3']);
    expect(page.hasMore).toBe(true);
    const next = await stripe.listEvents({ types: ['payment_intent.succeeded'], limit: 1, startingAfter: 'evt_3' });
    expect(next.events.map((e) => e.id)).toEqual(['evt_1']);
    expect(next.hasMore).toBe(false);
  });

  it('classifies failures: 401 permanent, 429 a rate-limit wait, 500 and an unreachable API transient; the key never in the message', async () => {
    api.failWith = 401;
    const unauthorised = await rejectionOf(stripe.customer('cus_1'));
    expect(unauthorised).toBeInstanceOf(PermanentError);
    expect(unauthorised.message).toMatch(/^stripe: 401 /);

    api.failWith = 429;
    expect(await rejectionOf(stripe.customer('cus_1'))).toBeInstanceOf(RateLimitedError);

    api.failWith = 500;
    const failed = await rejectionOf(stripe.customer('cus_1'));
    expect(failed).not.toBeInstanceOf(PermanentError);
    expect(failed.message).toMatch(/^stripe: 500 /);

    const down = connectorFromEnv(StripeConnector, StripeConnectorConfig, { STRIPE_API_KEY: KEY, STRIPE_API_URL: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await rejectionOf(down.customer('cus_1'));
    expect(unreachable).not.toBeInstanceOf(PermanentError);
    for (const err of [unauthorised, failed, unreachable]) expect(err.message).not.toContain(KEY);
  });

  it('is unavailable without STRIPE_API_KEY and then refuses to call', async () => {
    const off = connectorFromEnv(StripeConnector, StripeConnectorConfig, { STRIPE_API_URL: api.url });
    expect(off.unavailableReason()).toBe('STRIPE_API_KEY is not set');
    expect(await rejectionOf(off.customer('cus_1'))).toBeInstanceOf(PermanentError);
    expect(api.requests).toHaveLength(0);
  });
});
