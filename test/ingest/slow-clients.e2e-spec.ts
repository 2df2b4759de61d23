import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDeliveryOfSize } from '../support/synthetic-provider/synthetic-deliveries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUEST_TIMEOUT_MS = 1000;

interface SlowClient {
  socket: net.Socket;
  /** Resolves with what the server sent once it closed the connection, and after how long. */
  closed: Promise<{ received: string; afterMs: number }>;
}

function connect(url: string): Promise<SlowClient> {
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ received: string; afterMs: number }>((resolve) => socket.once('close', () => resolve({ received, afterMs: Date.now() - started })));
  return new Promise((resolve) => socket.once('connect', () => resolve({ socket, closed })));
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

const WEBHOOK_HEADERS = 'POST /webhooks/synthetic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';

describe('slow clients (HTTP_REQUEST_TIMEOUT_MS)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 408 and closes a connection whose declared body never arrives', async () => {
    const client = await connect(t.url);
    client.socket.write(`${WEBHOOK_HEADERS}Content-Length: 100000\r\n\r\n{"type":`);
    const { received, afterMs } = await within(5000, client.closed, 'the stalled upload closed');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
  });

  it('closes a connection whose headers are trickled byte by byte', async () => {
    const client = await connect(t.url);
    const trickle = setInterval(() => client.socket.writable && client.socket.write('a'), 100);
    client.socket.write(`${WEBHOOK_HEADERS}X-Slow: `);
    try {
      const { received } = await within(5000, client.closed, 'the trickling client closed');
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
    }
  });

  it('still accepts a delivery whose body arrives in pieces within the deadline', async () => {
    // Three pieces: 100 bytes, 100 bytes and the rest.
    const delivery = syntheticDeliveryOfSize(4096);
    const client = await connect(t.url);
    const headers = Object.entries(delivery.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const body = Buffer.from(delivery.body);
    client.socket.write(`POST /webhooks/synthetic HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}Content-Length: ${body.length}\r\n\r\n`);
    for (const piece of [body.subarray(0, 100), body.subarray(100, 200), body.subarray(200)]) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      client.socket.write(piece);
    }
    const { received } = await within(5000, client.closed, 'the answered client closed');
    expect(received).toMatch(/^HTTP\/1\.1 202 /);
  });

  // Without a request deadline the stalled upload was in flight forever: close() waited for it.
  it('does not let a stalled upload hold a graceful stop', async () => {
    const app = await startTestApp({ HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
    const client = await connect(app.url);
    client.socket.write(`${WEBHOOK_HEADERS}Content-Length: 100000\r\n\r\n{"type":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await within(REQUEST_TIMEOUT_MS + 4000, app.app.close(), 'the app closed');
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 4000);
    await client.closed;
  });
});
