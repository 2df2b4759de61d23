import net from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, ADMIN_KEY } from '../support/admin-client.js';
import { accessLineOf, capturedLogLines, capturedLogRecords } from '../support/log-capture.js';
import { sample } from '../support/prometheus-sample.js';
import { bodyBytesInFlight, storedDeliveries } from '../support/request-bodies.js';
import { postSynthetic, syntheticDelivery, syntheticDeliveryOfSize, type SyntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { testDatabaseUrl } from '../support/test-environment.js';

const BODY_LIMIT = 64 * 1024;
const WEBHOOK_503S = 'hookwise_webhook_requests_total{provider="synthetic",status="503"}';

interface HeldUpload {
  /** Sends the rest of the body. */
  finish(): void;
  /** Sends `bytes` more of the body (not the last byte). */
  send(bytes: number): void;
  /** Sends more bytes than the limit allows, as one chunk of a chunked body. */
  overflow(): void;
  abort(): void;
  /** The status the server answered with, once it closed the connection (0: closed without an answer). */
  answer: Promise<number>;
  /** Everything the server sent, once it closed the connection. */
  response: Promise<string>;
}

/**
 * An upload that sends its headers and the first `sent` bytes of its body (all but the last byte
 * unless told), then waits: what it has sent is held by the server until it is finished, aborted,
 * or cut by the request deadline. Without a delivery it is chunked (no Content-Length).
 */
async function holdUpload(url: string, delivery?: SyntheticDelivery, sent?: number): Promise<HeldUpload> {
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const response = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  const answer = response.then((text) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0));
  await new Promise((resolve) => socket.once('connect', resolve));

  const headers = Object.entries(delivery?.headers ?? { 'content-type': 'application/json' }).map(([name, value]) => `${name}: ${value}\r\n`);
  const request = `POST /webhooks/synthetic HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers.join('')}`;
  if (delivery) {
    const body = Buffer.from(delivery.body);
    let at = sent ?? body.length - 1;
    socket.write(`${request}Content-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, at));
    const send = (bytes: number) => {
      socket.write(body.subarray(at, at + bytes));
      at += bytes;
    };
    return { finish: () => socket.write(body.subarray(at)), send, overflow: () => undefined, abort: () => socket.destroy(), answer, response };
  }
  const first = sent ?? 100;
  socket.write(`${request}Transfer-Encoding: chunked\r\n\r\n${first.toString(16)}\r\n${'{'.padEnd(first, ' ')}\r\n`);
  const tooMuch = BODY_LIMIT + 1;
  return {
    finish: () => socket.write('0\r\n\r\n'),
    send: (bytes) => socket.write(`${bytes.toString(16)}\r\n${' '.repeat(bytes)}\r\n`),
    overflow: () => socket.write(`${tooMuch.toString(16)}\r\n${' '.repeat(tooMuch)}\r\n`),
    abort: () => socket.destroy(),
    answer,
    response,
  };
}

async function metric(t: TestApp, series: string): Promise<number> {
  const { body } = await admin<string>(t.url, '/metrics');
  return sample(body, series);
}

describe('request bodies in flight (INGEST_MAX_INFLIGHT_BYTES)', () => {
  let t: TestApp;
  const open: HeldUpload[] = [];
  const hold = async (delivery?: SyntheticDelivery, sent?: number) => {
    const upload = await holdUpload(t.url, delivery, sent);
    open.push(upload);
    return upload;
  };

  beforeAll(async () => {
    // Room for three bodies of the largest size.
    t = await startTestApp({ WEBHOOK_BODY_LIMIT: String(BODY_LIMIT), INGEST_MAX_INFLIGHT_BYTES: String(3 * BODY_LIMIT), ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
  });
  afterEach(async () => {
    for (const upload of open.splice(0)) upload.abort();
    await bodyBytesInFlight(t, 0);
  });

  it('answers 503 with Retry-After, before reading the body, while the bodies being received hold the budget, and stores nothing', async () => {
    const since = capturedLogLines.length;
    const refusalsBefore = await metric(t, 'hookwise_request_bodies_refused_total');
    const webhook503sBefore = await metric(t, WEBHOOK_503S);
    await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    await bodyBytesInFlight(t, 3 * (BODY_LIMIT - 1));

    const refused = syntheticDelivery('thing.created');
    const response = await postSynthetic(t.url, refused);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toEqual({ error: 'too_many_bodies_in_flight', message: 'too many request bodies are being received at once; retry in 1 s' });
    expect(await storedDeliveries(t, refused)).toBe(0);

    // Every route that reads a body, not only the webhooks; routes without one are untouched.
    const replay = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['DEAD'], max: 1 } });
    expect(replay).toMatchObject({ status: 503, body: { error: 'too_many_bodies_in_flight' } });
    expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(503);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

    // Counted and logged: the access line names the refusal; the warning is written once for the burst.
    expect((await metric(t, 'hookwise_request_bodies_refused_total')) - refusalsBefore).toBe(3);
    expect((await metric(t, WEBHOOK_503S)) - webhook503sBefore).toBe(2);
    const access = await accessLineOf(refused.deliveryId, since);
    expect(access).toMatchObject({ res: { statusCode: 503 }, refusal: 'too_many_bodies_in_flight' });
    const warnings = capturedLogRecords(since).filter((r) => r.context === 'RequestBodyBudget');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/^POST \/webhooks\/synthetic \(request .+\) refused with 503: .* INGEST_MAX_INFLIGHT_BYTES=196608/) });
  });

  it('gives the bytes back however the upload ends: answered 202, refused 401, over the limit (413), or aborted', async () => {
    const accepted = syntheticDeliveryOfSize(BODY_LIMIT);
    const completes = await hold(accepted);
    const forged = await hold(syntheticDeliveryOfSize(BODY_LIMIT, { secret: 'not-the-secret' }));
    const chunked = await hold(undefined, BODY_LIMIT - 200);
    await bodyBytesInFlight(t, 3 * BODY_LIMIT - 202);
    // Larger than the 202 bytes left in the budget now: refused while the three uploads hold it.
    const next = async () => postSynthetic(t.url, syntheticDeliveryOfSize(8 * 1024));
    expect((await next()).status).toBe(503);

    completes.finish();
    expect(await completes.answer).toBe(202);
    expect(await storedDeliveries(t, accepted)).toBe(1);
    await bodyBytesInFlight(t, 2 * BODY_LIMIT - 201);
    expect((await next()).status).toBe(202);

    forged.finish();
    expect(await forged.answer).toBe(401);
    await bodyBytesInFlight(t, BODY_LIMIT - 200);

    chunked.overflow();
    expect(await chunked.answer).toBe(413);
    await bodyBytesInFlight(t, 0);

    // The budget is whole again: three more fill it, and an aborted one frees its share.
    await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    const aborted = await hold(syntheticDeliveryOfSize(BODY_LIMIT));
    await bodyBytesInFlight(t, 3 * (BODY_LIMIT - 1));
    expect((await next()).status).toBe(503);
    aborted.abort();
    await bodyBytesInFlight(t, 2 * (BODY_LIMIT - 1));
    expect((await next()).status).toBe(202);
  });

  // Node drops a response queued behind another without a 'close' when the connection dies.
  it('gives back the bytes of pipelined requests whose connection dies before they are answered', async () => {
    // Ledger writes wait on this lock, so neither delivery is answered before the connection is gone.
    const locker = new pg.Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE webhook_events IN EXCLUSIVE MODE');
      const deliveries = [syntheticDelivery('thing.created'), syntheticDelivery('thing.created')];
      const target = new URL(t.url);
      const socket = net.connect(Number(target.port), target.hostname);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      for (const delivery of deliveries) {
        const headers = Object.entries(delivery.headers).map(([name, value]) => `${name}: ${value}\r\n`);
        socket.write(`POST /webhooks/synthetic HTTP/1.1\r\nHost: x\r\n${headers.join('')}Content-Length: ${Buffer.byteLength(delivery.body)}\r\n\r\n${delivery.body}`);
      }
      await bodyBytesInFlight(t, deliveries.reduce((sum, delivery) => sum + Buffer.byteLength(delivery.body), 0));

      socket.destroy();
      await bodyBytesInFlight(t, 0);
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
  });

  it('counts what bodies have sent, not what they declare: slow uploads of large bodies keep no one out', async () => {
    const slow = [await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100), await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100), await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100)];
    await bodyBytesInFlight(t, 300);
    const largest = syntheticDeliveryOfSize(BODY_LIMIT);
    expect((await postSynthetic(t.url, largest)).status).toBe(202);
    expect(await storedDeliveries(t, largest)).toBe(1);
    for (const upload of slow) {
      upload.finish();
      expect(await upload.answer).toBe(202);
    }
    await bodyBytesInFlight(t, 0);
  });

  it('cuts a body that runs out of room while it arrives (many large uploads at once): 503, nothing stored, its bytes given back', async () => {
    const refusalsBefore = await metric(t, 'hookwise_request_bodies_refused_total');
    // Four uploads start while there is room for each; three of them could complete together, not four.
    const [first, second, third] = [await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100), await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100), await hold(syntheticDeliveryOfSize(BODY_LIMIT), 100)];
    const cutDelivery = syntheticDeliveryOfSize(BODY_LIMIT);
    const cut = await hold(cutDelivery, 100);
    await bodyBytesInFlight(t, 400);
    first.send(BODY_LIMIT - 101);
    second.send(BODY_LIMIT - 101);
    await bodyBytesInFlight(t, 2 * (BODY_LIMIT - 1) + 200);

    // Room is left for 3 * BODY_LIMIT - 2 * (BODY_LIMIT - 1) - 200 = BODY_LIMIT - 198 more bytes: this is more.
    cut.send(BODY_LIMIT - 150);
    // A 503 with the connection closed (a client still sending when it closes may see only the close).
    expect([503, 0]).toContain(await cut.answer);
    if ((await cut.answer) === 503) {
      const response = await cut.response;
      expect(response).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(response).toMatch(/\r\nconnection: close\r\n/i);
      expect(response).toContain('"error":"too_many_bodies_in_flight"');
    }
    await bodyBytesInFlight(t, 2 * (BODY_LIMIT - 1) + 100);
    expect(await storedDeliveries(t, cutDelivery)).toBe(0);
    expect((await metric(t, 'hookwise_request_bodies_refused_total')) - refusalsBefore).toBe(1);

    // The others go on as if nothing happened.
    for (const upload of [first, second, third]) upload.finish();
    expect(await Promise.all([first.answer, second.answer, third.answer])).toEqual([202, 202, 202]);
    await bodyBytesInFlight(t, 0);
  });
});

describe('a budget of one body (INGEST_MAX_INFLIGHT_BYTES = WEBHOOK_BODY_LIMIT)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      WEBHOOK_BODY_LIMIT: String(BODY_LIMIT),
      INGEST_MAX_INFLIGHT_BYTES: String(BODY_LIMIT),
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      ADMIN_API_KEYS: ADMIN_KEY,
      ADMIN_THROTTLE_LIMIT: '100000',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepts a body of the largest size when nothing else is in flight, refuses others while one is received, and frees it when its upload times out', async () => {
    await resetLedger(t.prisma);
    const largest = syntheticDeliveryOfSize(BODY_LIMIT);
    expect((await postSynthetic(t.url, largest)).status).toBe(202);
    expect(await storedDeliveries(t, largest)).toBe(1);

    const stalled = await holdUpload(t.url, syntheticDeliveryOfSize(BODY_LIMIT));
    await bodyBytesInFlight(t, BODY_LIMIT - 1);
    expect((await postSynthetic(t.url, syntheticDelivery('thing.created'))).status).toBe(503);

    // HTTP_REQUEST_TIMEOUT_MS cuts the stalled upload (408): its bytes are given back.
    expect(await stalled.answer).toBe(408);
    await bodyBytesInFlight(t, 0);
    expect((await postSynthetic(t.url, syntheticDeliveryOfSize(BODY_LIMIT))).status).toBe(202);
  });
});
