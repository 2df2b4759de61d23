import { sign } from '@octokit/webhooks-methods';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetLedger, startTestApp, TEST_GITHUB_SECRET, type TestApp } from './support/test-app.js';

/** POST with raw control over bytes and repeated headers (fetch joins repeated headers into one line). */
function rawPost(url: string, body: Buffer, headers: Record<string, string | string[]>): Promise<{ status: number; body: Record<string, unknown> }> {
  const target = new URL(`${url}/webhooks/github`);
  return new Promise((resolve, reject) => {
    const request = http.request({ method: 'POST', host: target.hostname, port: target.port, path: target.pathname, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function signedHeaders(body: Buffer, extra: Record<string, string | string[]> = {}): Promise<Record<string, string | string[]>> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': await sign(TEST_GITHUB_SECRET, body.toString('utf8')),
    ...extra,
  };
}

describe('signed deliveries the ledger must not take', () => {
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

  // A body that is not UTF-8 would be stored altered. The GitHub verifier already fails it (it
  // checks the HMAC over the decoded text); verifiers that check the raw bytes get invalid_encoding.
  it('refuses a signed body that is not UTF-8 and stores nothing', async () => {
    const body = Buffer.concat([Buffer.from('{"action":"opened","title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    // sign() takes a string, which cannot hold these bytes: HMAC the exact bytes, as GitHub would.
    const headers = { ...(await signedHeaders(body)), 'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_GITHUB_SECRET).update(body).digest('hex')}` };
    const response = await rawPost(t.url, body, headers);
    expect([400, 401]).toContain(response.status);
    expect(['invalid_encoding', 'signature_mismatch']).toContain(response.body.error);
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 duplicate_header when X-GitHub-Delivery or X-GitHub-Event is repeated', async () => {
    const body = Buffer.from(JSON.stringify({ action: 'opened' }));
    const twoIds = await rawPost(t.url, body, await signedHeaders(body, { 'x-github-delivery': [randomUUID(), randomUUID()] }));
    expect(twoIds).toMatchObject({ status: 400, body: { error: 'duplicate_header', message: 'the x-github-delivery header appears more than once' } });
    const twoEvents = await rawPost(t.url, body, await signedHeaders(body, { 'x-github-event': ['issues', 'push'] }));
    expect(twoEvents).toMatchObject({ status: 400, body: { error: 'duplicate_header' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);

    // The same delivery with single headers is accepted.
    expect((await rawPost(t.url, body, await signedHeaders(body))).status).toBe(202);
  });
});
