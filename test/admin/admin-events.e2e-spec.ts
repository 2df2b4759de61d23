import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { admin, seedEvents, useAdminTestApp } from '../support/admin-client.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { waitFor } from '../support/wait-for.js';

const T0 = new Date('2026-11-20T12:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('GET /admin/events', () => {
  const t = useAdminTestApp();

  it('lists newest first, omits the payload unless include=payload, and whitelists fields', async () => {
    const [older, newer] = await seedEvents(t.prisma, [
      { receivedAt: at(0), payload: { a: 1 } },
      { receivedAt: at(1), payload: { b: 2, client_secret: 'hunter2-secret' } },
    ]);
    const page = await admin(t.url, '/admin/events');
    expect(page.status).toBe(200);
    expect(page.body.items.map((e: { id: string }) => e.id)).toEqual([newer, older]);
    expect(page.body.items[0].provenance).toBe('webhook');
    expect(page.body.nextCursor).toBeNull();
    expect(Object.keys(page.body.items[0]).sort()).toEqual(
      [
        'id', 'provider', 'deliveryId', 'type', 'subject', 'status', 'statusReason', 'deliveryCount', 'provenance',
        'attempts', 'lastError', 'receivedAt', 'processedAt', 'updatedAt',
      ].sort(),
    );
    expect(page.body.items[0].receivedAt).toBe(at(1).toISOString());

    const withPayload = await admin(t.url, '/admin/events?include=payload');
    expect(withPayload.body.items[0].payload).toEqual({ b: 2, client_secret: '[redacted]' });
    expect(withPayload.body.items[1].payload).toEqual({ a: 1 });
  });

  it('filters by provider, type, status (one or several), subject, from/to and deliveryId', async () => {
    const ids = await seedEvents(t.prisma, [
      { provider: 'synthetic', eventType: 'thing.created', status: 'SUCCEEDED', subject: 'acme/api', receivedAt: at(0), deliveryId: 'd-0' },
      { provider: 'synthetic', eventType: 'thing.opened', status: 'DEAD', subject: 'acme/web', receivedAt: at(10), deliveryId: 'd-1' },
      { provider: 'other', eventType: 'invoice.paid', status: 'FAILED', subject: 'cus_1', receivedAt: at(20), deliveryId: 'd-2' },
      { provider: 'other', eventType: 'invoice.paid', status: 'DEAD', subject: 'cus_2', receivedAt: at(30), deliveryId: 'd-1' },
      { provider: 'synthetic', eventType: 'thing.opened', status: 'QUEUED', subject: 'acme/web', receivedAt: at(40), deliveryId: 'd-4' },
    ]);
    const list = async (query: string) => {
      const response = await admin(t.url, `/admin/events?${query}`);
      expect(response.status, query).toBe(200);
      return response.body.items.map((e: { id: string }) => ids.indexOf(e.id));
    };
    expect(await list('provider=other')).toEqual([3, 2]);
    expect(await list('type=thing.opened')).toEqual([4, 1]);
    expect(await list('status=DEAD')).toEqual([3, 1]);
    expect(await list('status=DEAD&status=FAILED')).toEqual([3, 2, 1]);
    expect(await list('status=DEAD,QUEUED,SUCCEEDED')).toEqual([4, 3, 1, 0]);
    expect(await list('subject=acme%2Fweb')).toEqual([4, 1]);
    expect(await list(`from=${at(10).toISOString()}&to=${at(30).toISOString()}`)).toEqual([2, 1]);
    expect(await list('from=2026-11-20T12:20:00Z')).toEqual([4, 3, 2]);
    expect(await list('deliveryId=d-1')).toEqual([3, 1]);
    expect(await list('deliveryId=d-1&provider=synthetic')).toEqual([1]);
    expect(await list('provider=synthetic&type=thing.opened&status=DEAD,QUEUED&subject=acme%2Fweb')).toEqual([4, 1]);
    expect(await list('provider=synthetic&status=DEAD,FAILED')).toEqual([1]);
    expect(await list('provider=nobody')).toEqual([]);
  });

  it('answers 400 naming the parameter for every invalid filter', async () => {
    const cases: Array<[string, string]> = [
      ['status=NOPE', 'status'],
      ['status=DEAD,nope', 'status'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('v1|abc|x').toString('base64url')}`, 'cursor'],
      ['include=everything', 'include'],
      ['provider=Not%20A%20Provider', 'provider'],
      ['colour=blue', 'colour'],
    ];
    for (const [query, parameter] of cases) {
      const response = await admin(t.url, `/admin/events?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toBe('invalid_parameter');
      expect(response.body.parameters, query).toEqual([parameter]);
      expect(JSON.stringify(response.body.message), query).toContain(parameter);
    }
  });

  it('pages with an opaque cursor, limit 1..200 (default 50), never repeating or skipping while new events arrive', async () => {
    // 130 events, with runs of identical timestamps so the id tie-break is exercised.
    const seeded = await seedEvents(
      t.prisma,
      Array.from({ length: 130 }, (_, i) => ({ receivedAt: at(Math.floor(i / 3)), deliveryId: `page-${i}` })),
    );
    const firstDefault = await admin(t.url, '/admin/events');
    expect(firstDefault.body.items).toHaveLength(50);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=40&cursor=${encodeURIComponent(cursor)}` : 'limit=40';
      const page = await admin(t.url, `/admin/events?${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
      pages += 1;
      // New events arrive between pages: a real signed delivery and a direct insert, both newer.
      const delivery = syntheticDelivery('thing.created');
      expect((await postSynthetic(t.url, delivery)).status).toBe(202);
      await seedEvents(t.prisma, [{ receivedAt: new Date(), deliveryId: `late-${pages}` }]);
    } while (cursor !== null);

    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(seen.length);
    const expectedOrder = seeded
      .map((id, i) => ({ id, minute: Math.floor(i / 3) }))
      .sort((a, b) => b.minute - a.minute || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
    expect(seen).toEqual(expectedOrder);

    const max = await admin(t.url, '/admin/events?limit=200');
    expect(max.body.items.length).toBeGreaterThan(130);
  });

  it('returns an empty last page and a null cursor exactly at the end', async () => {
    await seedEvents(t.prisma, [{ receivedAt: at(0) }, { receivedAt: at(1) }]);
    const first = await admin(t.url, '/admin/events?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeNull();
    const one = await admin(t.url, '/admin/events?limit=1');
    const rest = await admin(t.url, `/admin/events?limit=1&cursor=${one.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expect(rest.body.items[0].id).not.toBe(one.body.items[0].id);
  });
});

describe('GET /admin/events/:id', () => {
  const t = useAdminTestApp();

  it('shows a real delivery with its payload (secrets redacted), delivery count, attempts, runs and actions', async () => {
    const payload = { widget: { id: 7, name: 'sprocket', tags: ['blue'] }, hook: { config: { secret: 'whsec-should-not-show', url: 'https://example.test' } } };
    const delivery = syntheticDelivery('other.event', payload);
    const accepted = await postSynthetic(t.url, delivery);
    expect(accepted.status).toBe(202);
    expect((await postSynthetic(t.url, delivery)).status).toBe(200);
    const id = accepted.body!.id as string;
    await waitFor('the event to be processed', async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'IGNORED' ? row : null;
    });

    const run = await t.prisma.agentRun.create({
      data: {
        eventId: id,
        agent: 'test-agent',
        model: 'claude-sonnet-4-5',
        status: 'SUCCEEDED',
        inputTokens: 1200,
        outputTokens: 300,
        costUsd: '0.008100',
        latencyMs: 2500,
        finalText: 'Reviewed: looks fine.',
        finishedAt: new Date(),
      },
    });
    await t.prisma.agentAction.create({
      data: {
        eventId: id,
        runId: run.id,
        agent: 'test-agent',
        tool: 'send_email',
        arguments: { to: 'ops@example.test', api_key: 'sk-live-123456' },
        idempotencyKey: `test:${randomUUID()}`,
        status: 'EXECUTED',
        policy: 'auto',
        result: { messageId: '<1@example.test>' },
        executedAt: new Date(),
      },
    });

    const detail = await admin(t.url, `/admin/events/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id,
      provider: 'synthetic',
      deliveryId: delivery.deliveryId,
      type: 'other.event',
      status: 'IGNORED',
      deliveryCount: 2,
      attempts: 1,
      statusReason: 'no handler for synthetic event other.event',
      headers: { 'x-synthetic-delivery': delivery.deliveryId, 'user-agent': 'synthetic-sender/1.0' },
    });
    expect(detail.body.payload.hook.config).toEqual({ secret: '[redacted]', url: 'https://example.test' });
    expect(detail.body.payload.widget).toEqual(payload.widget);
    expect(JSON.stringify(detail.body)).not.toContain('whsec-should-not-show');
    expect(JSON.stringify(detail.body)).not.toContain('sk-live-123456');
    expect(detail.body.agentRuns).toEqual([
      expect.objectContaining({
        id: run.id,
        model: 'claude-sonnet-4-5',
        inputTokens: 1200,
        outputTokens: 300,
        costUsd: 0.0081,
        durationMs: 2500,
        finalText: 'Reviewed: looks fine.',
      }),
    ]);
    expect(detail.body.actions).toEqual([
      expect.objectContaining({
        tool: 'send_email',
        status: 'EXECUTED',
        arguments: { to: 'ops@example.test', api_key: '[redacted]' },
        result: { messageId: '<1@example.test>' },
      }),
    ]);
    expect(detail.body.actions[0]).not.toHaveProperty('idempotencyKey');
  });

  it('404 for an unknown id, 400 naming the parameter for a malformed one', async () => {
    const missing = await admin(t.url, `/admin/events/${uuidv7()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    const malformed = await admin(t.url, '/admin/events/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'invalid_parameter', parameters: ['id'] });
  });
});
