import { getQueueToken } from '@nestjs/bullmq';
import { createHmac, randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import type { WebhookEventHandler } from '../../core/processing/event-handler.js';
import { EventHandlerRegistry } from '../../core/processing/event-handler.registry.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { webhookQueueName } from '../../core/queue/queue-names.js';
import { githubDelivery, githubExample, postGithub } from './testing/github-deliveries.js';
import { capturedLogLines, capturedLogRecords } from '../../../test/support/log-capture.js';
import { resetLedger, startTestApp, TEST_GITHUB_SECRET, type TestApp } from '../../../test/support/test-app.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { rawPost } from '../../../test/support/raw-post.js';

/** Signature values sent during these tests: none may appear in a log line. */
const sentSignatures: string[] = [];

async function signed(event: string, payload: unknown, options: Parameters<typeof githubDelivery>[2] = {}) {
  const delivery = await githubDelivery(event, payload, options);
  sentSignatures.push(delivery.headers['x-hub-signature-256']);
  return delivery;
}

function recordingHandler(name: string, eventType: string, behaviour: (event: WebhookEvent) => Promise<void> = async () => undefined) {
  const seen: WebhookEvent[] = [];
  const handler: WebhookEventHandler = {
    name,
    provider: 'github',
    handles: (type) => type === eventType,
    handle: async (event) => {
      seen.push(event);
      await behaviour(event);
    },
  };
  return { handler, seen };
}

describe('POST /webhooks/github', () => {
  let t: TestApp;
  let registry: EventHandlerRegistry;

  beforeAll(async () => {
    t = await startTestApp({ JOB_ATTEMPTS: '3', WEBHOOK_BODY_LIMIT: '64kb' });
    registry = t.app.get(EventHandlerRegistry);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
  });

  it('accepts a real pull_request.opened delivery, ledgers it and hands it to the processor', async () => {
    const { handler, seen } = recordingHandler('test-pr-opened', 'pull_request.opened');
    // The PR review agent handles pull_request.opened; this test is about ingest, so it steps aside.
    const review = registry.find('github', 'pull_request.opened');
    if (review) registry.unregister(review.name);
    registry.register(handler);
    try {
      const payload = githubExample('pull_request', 'opened');
      const delivery = await signed('pull_request', payload);
      const response = await postGithub(t.url, delivery);

      expect(response.status).toBe(202);
      expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'accepted' });
      const id = response.body!.id as string;

      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      const repository = (payload.repository as { full_name: string }).full_name;
      expect(row).toMatchObject({
        provider: 'github',
        deliveryId: delivery.deliveryId,
        eventType: 'pull_request.opened',
        subject: repository,
        deliveryCount: 1,
      });
      expect(row.payload).toEqual(payload);
      expect(row.headers).toMatchObject({ 'x-github-event': 'pull_request', 'x-github-delivery': delivery.deliveryId });
      expect(JSON.stringify(row.headers)).not.toContain('sha256=');

      const done = await waitFor('the event to succeed', async () => {
        const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
        return current.status === 'SUCCEEDED' ? current : null;
      });
      expect(done.attempts).toBe(1);
      expect(done.processedAt).not.toBeNull();
      expect(seen.map((e) => e.id)).toEqual([id]);
    } finally {
      registry.unregister('test-pr-opened');
      if (review) registry.register(review);
    }
  });

  it('records events without a handler as IGNORED, saying why', async () => {
    const response = await postGithub(t.url, await signed('push', githubExample('push')));
    expect(response.status).toBe(202);
    const row = await waitFor('the push event to be ignored', async () => {
      const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
      return current.status === 'IGNORED' ? current : null;
    });
    expect(row.statusReason).toBe('no handler for github event push');
  });

  it('acknowledges a ping and records it IGNORED without enqueueing it', async () => {
    const response = await postGithub(t.url, await signed('ping', githubExample('ping')));
    expect(response.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row).toMatchObject({ status: 'IGNORED', eventType: 'ping', attempts: 0 });
    expect(row.statusReason).toMatch(/^ping/);
    const queue = t.app.get<Queue>(getQueueToken(webhookQueueName('github')), { strict: false });
    expect(await queue.getJob(row.id)).toBeUndefined();
  });

  it('answers a repeated delivery with 200 duplicate, the same id, and counts it', async () => {
    const delivery = await signed('push', githubExample('push'));
    const first = await postGithub(t.url, delivery);
    const second = await postGithub(t.url, delivery);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ id: first.body!.id, status: 'duplicate' });
    const rows = await t.prisma.webhookEvent.findMany({ where: { deliveryId: delivery.deliveryId } });
    expect(rows).toHaveLength(1);
    expect(rows[0].deliveryCount).toBe(2);
  });

  it('turns 50 concurrent copies of one delivery into one row and one job', async () => {
    let calls = 0;
    const { handler } = recordingHandler('test-count-calls', 'issues.opened', async () => {
      calls++;
    });
    registry.register(handler);
    try {
      const delivery = await signed('issues', githubExample('issues', 'opened'));
      const responses = await Promise.all(Array.from({ length: 50 }, () => postGithub(t.url, delivery)));

      expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(49);
      const ids = new Set(responses.map((r) => r.body!.id));
      expect(ids.size).toBe(1);

      const rows = await t.prisma.webhookEvent.findMany({ where: { deliveryId: delivery.deliveryId } });
      expect(rows).toHaveLength(1);
      expect(rows[0].deliveryCount).toBe(50);

      await waitFor('the event to succeed', async () =>
        (await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: rows[0].id } })).status === 'SUCCEEDED',
      );
      const queue = t.app.get<Queue>(getQueueToken(webhookQueueName('github')), { strict: false });
      const jobs = await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
      expect(jobs.filter((job) => job.data.eventId === rows[0].id)).toHaveLength(1);
      expect(calls).toBe(1);
    } finally {
      registry.unregister('test-count-calls');
    }
  });

  it('retries a failing handler with backoff and ends DEAD with the error once attempts run out', async () => {
    const { handler, seen } = recordingHandler('test-always-fails', 'issues.closed', async () => {
      throw new Error('downstream API is down');
    });
    registry.register(handler);
    try {
      const response = await postGithub(t.url, await signed('issues', { ...githubExample('issues', 'opened'), action: 'closed' }));
      const row = await waitFor('the event to be DEAD', async () => {
        const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
        return current.status === 'DEAD' ? current : null;
      });
      expect(row.attempts).toBe(3);
      expect(seen).toHaveLength(3);
      expect(row.lastError).toBe('downstream API is down');
      expect(row.statusReason).toBe('gave up after 3 attempts');
    } finally {
      registry.unregister('test-always-fails');
    }
  });

  it('does not retry a permanent error', async () => {
    const { handler, seen } = recordingHandler('test-permanent', 'issues.reopened', async () => {
      throw new PermanentError('payload can never be handled');
    });
    registry.register(handler);
    try {
      const response = await postGithub(t.url, await signed('issues', { ...githubExample('issues', 'opened'), action: 'reopened' }));
      const row = await waitFor('the event to be DEAD', async () => {
        const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
        return current.status === 'DEAD' ? current : null;
      });
      expect(row.attempts).toBe(1);
      expect(seen).toHaveLength(1);
      expect(row.statusReason).toBe('permanent error: not retried');
    } finally {
      registry.unregister('test-permanent');
    }
  });

  it('accepts form-encoded deliveries (payload= field) signed over the form bytes', async () => {
    const payload = githubExample('push');
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const delivery = await signed('push', payload, { body });
    delivery.headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await postGithub(t.url, delivery);
    expect(response.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row.payload).toEqual(payload);
  });

  it('stores payloads jsonb cannot hold (escaped NUL, lone surrogate) with U+FFFD, without failing the deliveries written with them', async () => {
    const plain = await signed('push', githubExample('push'));
    const nul = await signed('push', undefined, { body: '{"ref":"refs/heads/main","note":"a\\u0000b"}' });
    const surrogate = await signed('push', undefined, { body: '{"ref":"refs/heads/main","note":"a\\ud800b","emoji":"\\ud83d\\ude00"}' });
    const answers = await Promise.all([plain, nul, surrogate].map((d) => postGithub(t.url, d)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);

    const stored = async (d: { deliveryId: string }) =>
      (await t.prisma.webhookEvent.findFirstOrThrow({ where: { deliveryId: d.deliveryId } })).payload as Record<string, string>;
    expect((await stored(nul)).note).toBe('a\uFFFDb');
    expect(await stored(surrogate)).toMatchObject({ note: 'a\uFFFDb', emoji: '\u{1F600}' });
    expect((await stored(plain)).ref).toBe(githubExample('push').ref);
  });

  it('refuses with 400 unstorable_payload a signed payload PostgreSQL cannot hold, alone or written with others, which are accepted', async () => {
    const plain = await Promise.all(Array.from({ length: 12 }, () => signed('push', githubExample('push'))));
    // Valid JSON (JSON.parse reads Infinity), but beyond the range of jsonb's numeric.
    const huge = await signed('push', undefined, { body: '{"ref":"refs/heads/main","size":1e1000000}' });
    const alone = await postGithub(t.url, huge);
    expect(alone).toMatchObject({ status: 400, body: { error: 'unstorable_payload' } });
    expect(alone.body!.message).toContain('numeric');

    const answers = await Promise.all([...plain.slice(0, 6), huge, ...plain.slice(6)].map((d) => postGithub(t.url, d)));
    expect(answers.map((a) => a.status)).toEqual([...Array(6).fill(202), 400, ...Array(6).fill(202)]);
    const rows = await t.prisma.webhookEvent.findMany({ select: { deliveryId: true } });
    expect(rows.map((r) => r.deliveryId).sort()).toEqual(plain.map((d) => d.deliveryId).sort());
  });

  describe('refusals store nothing', () => {
    afterEach(async () => {
      expect(await t.prisma.webhookEvent.count()).toBe(0);
    });

    it('401 missing_signature without X-Hub-Signature-256', async () => {
      const delivery = await signed('push', githubExample('push'));
      delete delivery.headers['x-hub-signature-256'];
      const response = await postGithub(t.url, delivery);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'missing_signature' });
    });

    it('401 signature_mismatch for a wrong secret, a tampered body or a malformed header', async () => {
      const wrongSecret = await signed('push', githubExample('push'), { secret: 'not-the-secret' });
      expect(await postGithub(t.url, wrongSecret)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });

      const tampered = await signed('push', githubExample('push'));
      tampered.body = tampered.body.replace('"ref"', '"reF"');
      expect(await postGithub(t.url, tampered)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });

      const malformed = await signed('push', githubExample('push'));
      malformed.headers['x-hub-signature-256'] = 'sha1=d03207e4b030cf234e3447bac4d93add4c6643d8';
      expect(await postGithub(t.url, malformed)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    });

    it('400 for a validly signed body that is not JSON', async () => {
      const delivery = await signed('push', undefined, { body: '{"ref": "refs/heads/main", ' });
      const response = await postGithub(t.url, delivery);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_json' });
    });

    it('400 for a signed pull_request payload missing the fields agents need', async () => {
      const payload = githubExample('pull_request', 'opened');
      delete (payload.pull_request as Record<string, unknown>).head;
      const response = await postGithub(t.url, await signed('pull_request', payload));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_payload' });
      expect(response.body!.message).toContain('pull_request.head');
    });

    it('400 without X-GitHub-Delivery', async () => {
      const delivery = await signed('push', githubExample('push'));
      delete delivery.headers['x-github-delivery'];
      expect(await postGithub(t.url, delivery)).toMatchObject({ status: 400, body: { error: 'missing_delivery_id' } });
    });

    it('413 for a body over WEBHOOK_BODY_LIMIT', async () => {
      const payload = { ...githubExample('push'), padding: 'x'.repeat(70 * 1024) };
      const response = await postGithub(t.url, await signed('push', payload));
      expect(response).toMatchObject({
        status: 413,
        body: { error: 'payload_too_large', message: `the request body is larger than ${t.config.WEBHOOK_BODY_LIMIT} bytes (WEBHOOK_BODY_LIMIT)` },
      });
    });
  });
});

describe('secret rotation and configuration', () => {
  it('accepts deliveries signed with any secret of GITHUB_WEBHOOK_SECRET, and no other', async () => {
    const t = await startTestApp({ GITHUB_WEBHOOK_SECRET: 'new-secret,old-secret' });
    try {
      await resetLedger(t.prisma);
      expect((await postGithub(t.url, await signed('push', githubExample('push'), { secret: 'old-secret' }))).status).toBe(202);
      expect((await postGithub(t.url, await signed('push', githubExample('push'), { secret: 'new-secret' }))).status).toBe(202);
      expect((await postGithub(t.url, await signed('push', githubExample('push'), { secret: TEST_GITHUB_SECRET }))).status).toBe(401);
      expect(await t.prisma.webhookEvent.count()).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('fails closed with 503 provider_not_configured when no secret is set, and warns at boot', async () => {
    const t = await startTestApp({ GITHUB_WEBHOOK_SECRET: undefined });
    try {
      await resetLedger(t.prisma);
      const response = await postGithub(t.url, await signed('push', githubExample('push')));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'provider_not_configured' });
      expect(await t.prisma.webhookEvent.count()).toBe(0);
      expect(capturedLogLines.some((line) => line.includes('github webhooks are not configured (GITHUB_WEBHOOK_SECRET is not set)'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('answers 503 and stores nothing when the database is unreachable, logs its periodic tasks failing once, and still closes promptly', async () => {
    const linesBefore = capturedLogLines.length;
    const t = await startTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/hookwise', OUTBOX_RELAY_INTERVAL_MS: '100' });
    try {
      const response = await postGithub(t.url, await signed('push', githubExample('push')));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'ledger_unavailable' });
      const ready = await fetch(`${t.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: { database: { status: 'down' } } });

      // The outbox relay and the interrupted-action sweep fail at every pass (every 100 ms here).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const messages = capturedLogRecords(linesBefore).map((line) => line.msg);
      for (const task of ['outbox relay', 'interrupted-action sweep']) {
        expect(messages.filter((msg) => msg.startsWith(`${task}: `))).toEqual([`${task}: connect ECONNREFUSED 127.0.0.1:1`]);
      }
    } finally {
      // On the PostgreSQL queue the worker's connection is down too: its close waits out the retry
      // delay between connection attempts (2 s; BullMQ's own 15 s took this test past 15 s).
      const closing = Date.now();
      await t.close();
      expect(Date.now() - closing).toBeLessThan(10_000);
    }
  });
});

/** GitHub's headers for these exact bytes: HMAC-SHA256 over the bytes, as GitHub signs them. */
function signedHeaders(body: Buffer, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const signature = `sha256=${createHmac('sha256', TEST_GITHUB_SECRET).update(body).digest('hex')}`;
  sentSignatures.push(signature);
  return {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': signature,
    ...extra,
  };
}

// GitHub's own refusals (its headers, its verifier, its form field), from the core's refusal suite
// (test/ingest/ingest-refusals.e2e-spec.ts), which runs on the synthetic provider.
describe('GitHub deliveries the ledger must not take', () => {
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

  // GithubSignatureVerifier's own doing (it lower-cases the header for @octokit/webhooks-methods).
  it('accepts a signature written in upper-case hex', async () => {
    const body = Buffer.from(JSON.stringify({ action: 'opened' }));
    const headers = signedHeaders(body);
    headers['x-hub-signature-256'] = `sha256=${(headers['x-hub-signature-256'] as string).slice(7).toUpperCase()}`;
    expect((await rawPost(t.url, 'github', body, headers)).status).toBe(202);
  });

  it('400 duplicate_header when X-GitHub-Delivery or X-GitHub-Event is repeated', async () => {
    const body = Buffer.from(JSON.stringify({ action: 'opened' }));
    const twoIds = await rawPost(t.url, 'github', body, signedHeaders(body, { 'x-github-delivery': [randomUUID(), randomUUID()] }));
    expect(twoIds).toMatchObject({ status: 400, body: { error: 'duplicate_header', message: 'the x-github-delivery header appears more than once' } });
    const twoEvents = await rawPost(t.url, 'github', body, signedHeaders(body, { 'x-github-event': ['issues', 'push'] }));
    expect(twoEvents).toMatchObject({ status: 400, body: { error: 'duplicate_header' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);

    // The same delivery with single headers is accepted.
    expect((await rawPost(t.url, 'github', body, signedHeaders(body))).status).toBe(202);
  });

  it('400 missing_event_type without X-GitHub-Event, or with a blank one', async () => {
    for (const event of [undefined, '  ']) {
      const delivery = await signed('push', githubExample('push'));
      if (event === undefined) delete delivery.headers['x-github-event'];
      else delivery.headers['x-github-event'] = event;
      const response = await postGithub(t.url, delivery);
      expect(response, JSON.stringify(event)).toMatchObject({
        status: 400,
        body: { error: 'missing_event_type', message: 'the X-GitHub-Event header is missing' },
      });
    }
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 invalid_payload for a form-encoded delivery without a payload field', async () => {
    const body = new URLSearchParams({ data: JSON.stringify(githubExample('push')) }).toString();
    const delivery = await signed('push', undefined, { body });
    delivery.headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await postGithub(t.url, delivery);
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_payload', message: 'form-encoded delivery has no payload field' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});

describe('logs', () => {
  it('have one access line per webhook request: its status, its ledger id, allow-listed headers only', async () => {
    const t = await startTestApp();
    try {
      const accepted = await signed('push', githubExample('push'));
      const answer = await postGithub(t.url, accepted);
      const forged = await signed('push', githubExample('push'), { secret: 'not-the-secret' });
      expect((await postGithub(t.url, forged)).status).toBe(401);

      const lines = () => capturedLogLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed' && l.req?.url === '/webhooks/github');
      const byDelivery = (id: string) => lines().find((l) => l.req.headers['x-github-delivery'] === id);
      await waitFor('the access line of the refused delivery', () => byDelivery(forged.headers['x-github-delivery']));

      const ok = byDelivery(accepted.headers['x-github-delivery']);
      expect(ok).toMatchObject({ level: 30, reqId: answer.body!.id as string, eventId: answer.body!.id as string, res: { statusCode: 202 } });
      expect(Object.keys(ok.req.headers).sort()).toEqual(['content-length', 'content-type', 'user-agent', 'x-github-delivery', 'x-github-event']);
      expect(byDelivery(forged.headers['x-github-delivery'])).toMatchObject({ level: 40, res: { statusCode: 401 } });
    } finally {
      await t.close();
    }
  });

  it('never contain a secret or a signature value', () => {
    expect(capturedLogLines.length).toBeGreaterThan(0);
    const leaks = capturedLogLines.filter(
      (line) => line.includes(TEST_GITHUB_SECRET) || line.includes('old-secret') || sentSignatures.some((s) => line.includes(s.slice(7))),
    );
    expect(leaks).toEqual([]);
  });
});
