import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capturedLogLines, capturedLogRecords } from '../support/log-capture.js';
import { syntheticSignature } from '../support/synthetic-provider/synthetic-deliveries.js';
import { SYNTHETIC_FORM_FIELD } from '../support/synthetic-provider/synthetic-webhook.provider.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { rawPost } from '../support/raw-post.js';

/** The synthetic provider's headers for these exact bytes: HMAC-SHA256 over the bytes, as it signs them. */
function signedHeaders(body: Buffer, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    'content-type': 'application/json',
    'x-synthetic-delivery': randomUUID(),
    'x-synthetic-signature': syntheticSignature(body),
    ...extra,
  };
}

describe('webhook requests the ledger must not take', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
  });

  // A body that is not UTF-8 would be stored altered: refused for what it is, not as a forgery.
  it('400 invalid_encoding for a correctly signed body that is not UTF-8, and nothing stored', async () => {
    const body = Buffer.concat([Buffer.from('{"type":"thing.created","title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const response = await rawPost(t.url, 'synthetic', body, signedHeaders(body));
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_encoding', message: 'the request body is not valid UTF-8' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 empty_body for an empty body, whatever its signature', async () => {
    const empty = Buffer.alloc(0);
    expect(await rawPost(t.url, 'synthetic', empty, signedHeaders(empty))).toMatchObject({ status: 400, body: { error: 'empty_body' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('415 for a compressed body, even one signed over its compressed bytes', async () => {
    const gzipped = gzipSync(JSON.stringify({ type: 'thing.created' }));
    const response = await rawPost(t.url, 'synthetic', gzipped, signedHeaders(gzipped, { 'content-encoding': 'gzip' }));
    expect(response).toMatchObject({ status: 415, body: { error: 'unsupported_content_encoding', message: expect.stringContaining('gzip') } });
    // A plain body that only claims to be compressed is refused the same way.
    const plain = Buffer.from(JSON.stringify({ type: 'thing.created' }));
    expect(await rawPost(t.url, 'synthetic', plain, signedHeaders(plain, { 'content-encoding': 'br' }))).toMatchObject({ status: 415 });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('415 unsupported_content_type for a content type the provider never sends, or none', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'thing.created' }));
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const response = await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'content-type': type }));
      expect(response).toMatchObject({ status: 415, body: { error: 'unsupported_content_type', message: expect.stringContaining(type) } });
    }
    const { 'content-type': _, ...untyped } = signedHeaders(body);
    expect(await rawPost(t.url, 'synthetic', body, untyped)).toMatchObject({ status: 415, body: { message: expect.stringMatching(/^the Content-Type header is missing/) } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);

    // With a charset parameter it is JSON all the same.
    expect((await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'content-type': 'application/json; charset=utf-8' }))).status).toBe(202);
  });

  it('400 invalid_encoding for a form-encoded payload whose percent-encoded bytes are not UTF-8', async () => {
    const body = Buffer.from(`${SYNTHETIC_FORM_FIELD}=%7B%22type%22%3A%22%FF%22%7D`);
    const response = await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_encoding' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 unstorable_payload, not a 503, for a payload too deeply nested to re-serialise', async () => {
    const depth = 100_000;
    const body = Buffer.from(`{"type":"thing.created","text":"\\u0000","deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const response = await rawPost(t.url, 'synthetic', body, signedHeaders(body));
    expect(response).toMatchObject({ status: 400, body: { error: 'unstorable_payload', message: expect.stringContaining('nests too deeply') } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 field_too_long for a delivery id or event type longer than an index entry can hold', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'thing.created' }));
    const longId = await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'x-synthetic-delivery': 'd'.repeat(4000) }));
    expect(longId).toMatchObject({ status: 400, body: { error: 'field_too_long', message: 'the delivery id is 4000 bytes long (UTF-8); at most 255 are accepted' } });
    const typedLong = Buffer.from(JSON.stringify({ type: 'e'.repeat(300) }));
    const longType = await rawPost(t.url, 'synthetic', typedLong, signedHeaders(typedLong));
    expect(longType).toMatchObject({ status: 400, body: { error: 'field_too_long' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('logs a client that hangs up mid-body as one warning with the request, not as an error of ours', async () => {
    const since = capturedLogLines.length;
    const target = new URL(t.url);
    const socket = net.connect(Number(target.port), target.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /webhooks/synthetic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ac');
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server start reading the body
    socket.destroy();

    await waitFor('the warning about the closed connection', () => capturedLogRecords(since).some((r) => r.msg.includes('the connection closed')) || null);
    const records = capturedLogRecords(since);
    expect(records.filter((r) => r.msg.includes('the connection closed'))).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^POST \/webhooks\/synthetic \(request [0-9a-f-]{36}\): the connection closed before the body arrived \(the client hung up, or HTTP_REQUEST_TIMEOUT_MS passed and it was answered 408\)$/) }),
    ]);
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('accepts a signature written in upper-case hex', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'thing.created' }));
    const headers = signedHeaders(body);
    headers['x-synthetic-signature'] = `sha256=${(headers['x-synthetic-signature'] as string).slice(7).toUpperCase()}`;
    expect((await rawPost(t.url, 'synthetic', body, headers)).status).toBe(202);
  });

  it('400 duplicate_header when a header the provider reads (its delivery id, the content type) is repeated', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'thing.created' }));
    const twoIds = await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'x-synthetic-delivery': [randomUUID(), randomUUID()] }));
    expect(twoIds).toMatchObject({ status: 400, body: { error: 'duplicate_header', message: 'the x-synthetic-delivery header appears more than once' } });
    const twoTypes = await rawPost(t.url, 'synthetic', body, signedHeaders(body, { 'content-type': ['application/json', 'text/plain'] }));
    expect(twoTypes).toMatchObject({ status: 400, body: { error: 'duplicate_header' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);

    // The same delivery with single headers is accepted.
    expect((await rawPost(t.url, 'synthetic', body, signedHeaders(body))).status).toBe(202);
  });

  it('405 with Allow: POST on a provider URL; 404 on a URL no provider has', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${t.url}/webhooks/synthetic?check=1`, { method });
      expect({ status: response.status, allow: response.headers.get('allow'), body: await response.json() }).toEqual({
        status: 405,
        allow: 'POST',
        body: { error: 'method_not_allowed', message: `${method} is not accepted here: providers deliver webhooks with POST` },
      });
    }
    expect((await fetch(`${t.url}/webhooks/nobody`)).status).toBe(404);
  });
});
