import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BacklogMonitor } from '../../src/core/ingest/backlog-monitor.js';
import { admin, ADMIN_KEY } from '../support/admin-client.js';
import { bodyBytesInFlight, storedDeliveries } from '../support/request-bodies.js';
import { syntheticDelivery, syntheticDeliveryOfSize, type SyntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitingEvent } from '../support/waiting-event.js';

const BODY_LIMIT = 64 * 1024;

interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** One connection, written to as a client that sends `Expect: 100-continue` does, and what the server answered on it. */
interface Connection {
  write(data: string | Buffer): void;
  /** The first `count` responses, interim ones (100) included; fewer if the server closes the connection first. */
  responses(count: number): Promise<RawResponse[]>;
  /** Every response, once the server has closed the connection. */
  closed: Promise<RawResponse[]>;
  destroy(): void;
}

async function connect(url: string): Promise<Connection> {
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  socket.on('error', () => undefined);
  // latin1: one character per byte, so Content-Length counts characters.
  let wire = '';
  const waiting = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    wire += chunk.toString('latin1');
    waiting.forEach((check) => check());
  });
  let isClosed = false;
  const closed = new Promise<RawResponse[]>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      waiting.forEach((check) => check());
      resolve(responsesIn(wire));
    }),
  );
  await new Promise((resolve) => socket.once('connect', resolve));
  return {
    write: (data) => socket.write(data),
    responses: (count) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ${count} response(s) within 10 s; received: ${JSON.stringify(wire)}`)), 10_000);
        const check = () => {
          const responses = responsesIn(wire);
          if (responses.length < count && !isClosed) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(responses.slice(0, count));
        };
        waiting.add(check);
        check();
      }),
    closed,
    destroy: () => socket.destroy(),
  };
}

/** The complete responses in what the server sent, 1xx included. */
function responsesIn(wire: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = wire.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return responses;
    const [statusLine, ...fields] = wire.slice(at, headEnd).split('\r\n');
    const headers = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]));
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0);
    const bodyEnd = headEnd + 4 + (status < 200 ? 0 : Number(headers['content-length'] ?? 0));
    if (wire.length < bodyEnd) return responses;
    responses.push({ status, headers, body: wire.slice(headEnd + 4, bodyEnd) });
    at = bodyEnd;
  }
}

/** A request's head: `Expect: 100-continue` unless told otherwise, and a Content-Length of `bodyBytes`. */
function head(method: string, path: string, headers: Record<string, string>, bodyBytes: number, options: { expect?: boolean } = {}): string {
  const fields = Object.entries({ ...headers, ...(options.expect === false ? {} : { expect: '100-continue' }), 'content-length': String(bodyBytes) });
  return `${method} ${path} HTTP/1.1\r\nHost: x\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

function deliveryHead(delivery: SyntheticDelivery): string {
  return head('POST', '/webhooks/synthetic', delivery.headers, Buffer.byteLength(delivery.body));
}

const statuses = (responses: RawResponse[]) => responses.map((response) => response.status);

describe('Expect: 100-continue', () => {
  let t: TestApp;
  let monitor: BacklogMonitor;
  const open: Connection[] = [];
  const connection = async () => {
    const opened = await connect(t.url);
    open.push(opened);
    return opened;
  };

  beforeAll(async () => {
    // A budget of one body of the largest size; backpressure on, for the 429 (the relay leaves planted rows alone).
    t = await startTestApp({
      WEBHOOK_BODY_LIMIT: String(BODY_LIMIT),
      INGEST_MAX_INFLIGHT_BYTES: String(BODY_LIMIT),
      INGEST_MAX_BACKLOG: '5',
      OUTBOX_RELAY_INTERVAL_MS: '600000',
      ADMIN_API_KEYS: ADMIN_KEY,
      ADMIN_THROTTLE_LIMIT: '100000',
    });
    monitor = t.app.get(BacklogMonitor);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    await monitor.refresh();
  });
  afterEach(async () => {
    for (const opened of open.splice(0)) opened.destroy();
    await bodyBytesInFlight(t, 0);
  });

  it('answers 413 at once to a declared body over the limit, without 100 Continue, and stores nothing', async () => {
    const oversized = syntheticDeliveryOfSize(BODY_LIMIT + 1);
    const client = await connection();
    client.write(deliveryHead(oversized));

    const [first] = await client.responses(1);
    expect(first.status).toBe(413);
    expect(first.headers.connection).toBe('close');
    expect(JSON.parse(first.body)).toMatchObject({ error: 'payload_too_large' });
    expect(statuses(await client.closed)).toEqual([413]);
    expect(await storedDeliveries(t, oversized)).toBe(0);
  });

  it('sends 100 Continue to a delivery within the limit, then 202 once its body arrives; the connection stays usable', async () => {
    const delivery = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(deliveryHead(delivery));
    expect(statuses(await client.responses(1))).toEqual([100]);

    client.write(delivery.body);
    const [, accepted] = await client.responses(2);
    expect(accepted.status).toBe(202);
    expect(await storedDeliveries(t, delivery)).toBe(1);

    // Keep-alive: the next request on the same connection goes through the same way.
    const next = syntheticDelivery('thing.created');
    client.write(deliveryHead(next));
    expect(statuses(await client.responses(3))).toEqual([100, 202, 100]);
    client.write(next.body);
    expect(statuses(await client.responses(4))).toEqual([100, 202, 100, 202]);
    expect(await storedDeliveries(t, next)).toBe(1);
  });

  it('answers 503 with Retry-After, without 100 Continue, while another upload holds the body budget', async () => {
    const held = syntheticDeliveryOfSize(BODY_LIMIT);
    const holder = await connection();
    holder.write(deliveryHead(held));
    expect(statuses(await holder.responses(1))).toEqual([100]);
    holder.write(held.body.slice(0, -1));
    await bodyBytesInFlight(t, BODY_LIMIT - 1);

    const refused = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(deliveryHead(refused));
    const [first] = await client.responses(1);
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(JSON.parse(first.body)).toMatchObject({ error: 'too_many_bodies_in_flight' });
    expect(statuses(await client.closed)).toEqual([503]);
    expect(await storedDeliveries(t, refused)).toBe(0);

    // The upload holding the budget goes on as if nothing happened.
    holder.write(held.body.slice(-1));
    expect(statuses(await holder.responses(2))).toEqual([100, 202]);
    expect(await storedDeliveries(t, held)).toBe(1);
  });

  it('answers 404 to an unknown URL without 100 Continue, as it answers without Expect', async () => {
    const delivery = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(head('POST', '/webhooks/nobody', delivery.headers, Buffer.byteLength(delivery.body)));
    const [notFound] = await client.responses(1);
    expect(notFound.status).toBe(404);
    const plain = await fetch(`${t.url}/webhooks/nobody`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect({ status: plain.status, body: await plain.json() }).toEqual({ status: 404, body: JSON.parse(notFound.body) });
    expect(statuses(await client.closed)).toEqual([404]);
  });

  it('answers 405 to another method than POST on a provider URL without 100 Continue', async () => {
    const delivery = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(head('PUT', '/webhooks/synthetic', delivery.headers, Buffer.byteLength(delivery.body)));
    const [notAllowed] = await client.responses(1);
    expect(notAllowed).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(statuses(await client.closed)).toEqual([405]);
  });

  it('answers 429 with Retry-After without 100 Continue while the backlog is older than INGEST_MAX_BACKLOG', async () => {
    await waitingEvent(t, 'QUEUED', 30);
    await monitor.refresh();
    const delivery = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(deliveryHead(delivery));
    const [tooMany] = await client.responses(1);
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers['retry-after']).toMatch(/^\d+$/);
    expect(statuses(await client.closed)).toEqual([429]);
    expect(await storedDeliveries(t, delivery)).toBe(0);
  });

  // The signature covers the body: it cannot be checked before the body is sent.
  it('sends 100 Continue to a delivery whose signature is wrong, and 401 once its body arrives', async () => {
    const forged = syntheticDelivery('thing.created', {}, { secret: 'not-the-secret' });
    const client = await connection();
    client.write(deliveryHead(forged));
    expect(statuses(await client.responses(1))).toEqual([100]);
    client.write(forged.body);
    const [, refused] = await client.responses(2);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'signature_mismatch' });
    expect(await storedDeliveries(t, forged)).toBe(0);
  });

  it('sends 100 Continue to an admin request with a body when its body is read', async () => {
    const body = JSON.stringify({ status: ['DEAD'], max: 1 });
    const client = await connection();
    client.write(head('POST', '/admin/events/replay', { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body.length));
    expect(statuses(await client.responses(1))).toEqual([100]);
    client.write(body);
    expect(statuses(await client.responses(2))).toEqual([100, 202]);
  });

  it('answers a request without Expect as before: one response, no 100', async () => {
    const delivery = syntheticDelivery('thing.created');
    const client = await connection();
    client.write(head('POST', '/webhooks/synthetic', { ...delivery.headers, connection: 'close' }, Buffer.byteLength(delivery.body), { expect: false }) + delivery.body);
    expect(statuses(await client.closed)).toEqual([202]);
  });
});
