import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/admin/auth/admin-key-verifier.js';
import { ADMIN_KEY, SECOND_ADMIN_KEY, admin } from '../support/admin-client.js';
import { capturedLogLines } from '../support/log-capture.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every admin surface, with a request that would succeed (or 4xx for another reason) when authenticated. */
const ENDPOINTS: Array<{ method: string; path: string; body?: unknown }> = [
  { method: 'GET', path: '/admin/events' },
  { method: 'GET', path: `/admin/events/${uuidv7()}` },
  { method: 'POST', path: `/admin/events/${uuidv7()}/replay`, body: { dryRun: true } },
  { method: 'POST', path: '/admin/events/replay', body: { status: ['DEAD'], max: 1 } },
  { method: 'GET', path: '/admin/actions?status=PENDING_APPROVAL' },
  { method: 'POST', path: `/admin/actions/${uuidv7()}/approve`, body: {} },
  { method: 'POST', path: `/admin/actions/${uuidv7()}/reject`, body: { reason: 'no' } },
  { method: 'GET', path: '/admin/stats' },
  { method: 'GET', path: '/admin/audit' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/admin/queues' },
  { method: 'GET', path: '/admin/queues/api/queues' },
];

describe('admin authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_API_KEYS: `${ADMIN_KEY}, ${SECOND_ADMIN_KEY}`, ADMIN_THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const wrongCredentials: Array<[string, { key?: string | null; authorization?: string }]> = [
    ['no Authorization header', { key: null }],
    ['a wrong key', { key: 'test-admin-key-Alpha-2' }],
    ['the key in another case', { key: ADMIN_KEY.toUpperCase() }],
    ['the key in lower case', { key: ADMIN_KEY.toLowerCase() }],
    ['a prefix of the key', { key: ADMIN_KEY.slice(0, -1) }],
    ['the key with a suffix', { key: `${ADMIN_KEY}x` }],
    ['both keys joined', { key: `${ADMIN_KEY},${SECOND_ADMIN_KEY}` }],
    ['the key without a scheme', { authorization: ADMIN_KEY }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a Token scheme', { authorization: `Token ${ADMIN_KEY}` }],
  ];

  for (const [what, credentials] of wrongCredentials) {
    it(`401 with ${what}, on every admin endpoint`, async () => {
      for (const endpoint of ENDPOINTS) {
        const response = await admin(t.url, endpoint.path, { method: endpoint.method, body: endpoint.body, ...credentials });
        expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(401);
        expect(response.headers.get('www-authenticate'), endpoint.path).toMatch(/^(Bearer|Basic) realm="hookwise-admin"/);
      }
    });
  }

  it('accepts every configured key, with the scheme in any case', async () => {
    expect((await admin(t.url, '/admin/events', { key: ADMIN_KEY })).status).toBe(200);
    expect((await admin(t.url, '/admin/events', { key: SECOND_ADMIN_KEY })).status).toBe(200);
    expect((await admin(t.url, '/admin/events', { authorization: `bearer ${ADMIN_KEY}` })).status).toBe(200);
    expect((await admin(t.url, '/admin/stats', { authorization: `BEARER ${SECOND_ADMIN_KEY}` })).status).toBe(200);
    expect((await admin(t.url, '/metrics')).status).toBe(200);
  });

  it('takes HTTP Basic (key as password) on the queue dashboard only, where browsers need it', async () => {
    const basic = `Basic ${Buffer.from(`operator:${ADMIN_KEY}`).toString('base64')}`;
    const board = await admin(t.url, '/admin/queues', { authorization: basic });
    expect(board.status).toBe(200);
    expect(board.body).toContain('<title>Hookwise queues</title>');
    expect((await admin(t.url, '/admin/events', { authorization: basic })).status).toBe(401);
    const wrong = `Basic ${Buffer.from(`operator:${ADMIN_KEY.toUpperCase()}`).toString('base64')}`;
    expect((await admin(t.url, '/admin/queues', { authorization: wrong })).status).toBe(401);
  });

  // Pausing or emptying a provider queue stops deliveries being processed: who did it must show.
  it('records every change made from the queue dashboard in the audit trail, with the key', async () => {
    const basic = `Basic ${Buffer.from(`operator:${SECOND_ADMIN_KEY}`).toString('base64')}`;
    expect((await admin(t.url, '/admin/queues/api/queues/webhooks-synthetic/pause', { method: 'PUT', authorization: basic })).status).toBe(200);
    expect((await admin(t.url, '/admin/queues/api/queues/webhooks-synthetic/resume', { method: 'PUT' })).status).toBe(200);
    expect((await admin(t.url, '/admin/queues/api/queues')).status).toBe(200);
    const audit = await admin<Array<{ keyFingerprint: string; action: string; target: string }>>(t.url, '/admin/audit');
    expect(audit.body.filter((entry) => entry.action === 'queues.change').map(({ keyFingerprint, target }) => ({ keyFingerprint, target }))).toEqual([
      { keyFingerprint: keyFingerprint(ADMIN_KEY), target: 'PUT /admin/queues/api/queues/webhooks-synthetic/resume' },
      { keyFingerprint: keyFingerprint(SECOND_ADMIN_KEY), target: 'PUT /admin/queues/api/queues/webhooks-synthetic/pause' },
    ]);
  });

  it('leaves the webhook and health routes alone', async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const delivery = syntheticDelivery('thing.created');
    expect(delivery.headers.authorization).toBeUndefined();
    const accepted = await postSynthetic(t.url, delivery);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'accepted' });
  });

  it('logs key fingerprints at boot, never the keys', () => {
    expect(capturedLogLines.some((line) => line.includes(`fingerprints ${keyFingerprint(ADMIN_KEY)}, ${keyFingerprint(SECOND_ADMIN_KEY)}`))).toBe(true);
    expect(capturedLogLines.filter((line) => line.includes(ADMIN_KEY) || line.includes(SECOND_ADMIN_KEY))).toEqual([]);
  });
});

describe('admin API with no key configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_API_KEYS: undefined });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 to everything, whatever is presented, and says so at boot', async () => {
    for (const endpoint of ENDPOINTS) {
      for (const authorization of [undefined, 'Bearer ', `Bearer ${ADMIN_KEY}`, 'Bearer undefined', 'Basic Og==']) {
        const response = await admin(t.url, endpoint.path, { method: endpoint.method, body: endpoint.body, key: null, authorization });
        expect(response.status, `${endpoint.method} ${endpoint.path} ${authorization}`).toBe(401);
      }
    }
    expect(capturedLogLines.some((line) => line.includes('ADMIN_API_KEYS is not set: the admin API'))).toBe(true);
  });
});

describe('admin throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '5', ADMIN_THROTTLE_TTL_MS: '60000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 beyond ADMIN_THROTTLE_LIMIT, counting failed authentications too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await admin(t.url, '/admin/events', { key: 'guess' })).status);
    for (let i = 0; i < 4; i += 1) statuses.push((await admin(t.url, '/admin/events')).status);
    expect(statuses).toEqual([401, 401, 401, 200, 200, 429, 429]);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  // Its own scope, outside Nest's guards: keys could be guessed there without limit.
  it('throttles the queue dashboard too, failed authentications included', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await admin(t.url, '/admin/queues/api/queues', { key: `guess-${i}` })).status);
    const throttled = await admin(t.url, '/admin/queues/api/queues');
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
