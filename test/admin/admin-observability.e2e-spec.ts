import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookQueueName } from '../../src/core/queue/queue-names.js';
import { ADMIN_KEY, admin, seedEvents, useAdminTestApp } from '../support/admin-client.js';
import { sample } from '../support/prometheus-sample.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { startTestApp, TEST_PROVIDERS } from '../support/test-app.js';

/** The webhook queues of a test app (one per provider, the synthetic one among them) as /admin/stats lists them: by provider name. */
function providerQueues(waiting: Record<string, number> = {}) {
  return TEST_PROVIDERS.map((provider) => provider.name)
    .sort()
    .map((provider) => ({ provider, queue: webhookQueueName(provider), waiting: waiting[provider] ?? 0, active: 0, delayed: 0, failed: 0 }));
}
import { waitFor } from '../support/wait-for.js';

describe('GET /admin/stats, /metrics, /docs and /admin/queues', () => {
  const t = useAdminTestApp();

  it('counts by provider and status, processing percentiles, tokens and cost by model, queue depths, oldest unprocessed age', async () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const base = from.getTime() + 3_600_000;
    // Processing latencies 1..100 s for 100 succeeded synthetic events.
    await seedEvents(
      t.prisma,
      Array.from({ length: 100 }, (_, i) => ({
        provider: 'synthetic',
        receivedAt: new Date(base + i * 1000),
        processedAt: new Date(base + i * 1000 + (i + 1) * 1000),
        status: 'SUCCEEDED' as const,
      })),
    );
    await seedEvents(t.prisma, [
      { provider: 'other', status: 'DEAD', receivedAt: new Date(base), processedAt: new Date(base + 500) },
      { provider: 'other', status: 'QUEUED', receivedAt: new Date(base + 10) },
      // Outside the range: not counted.
      { provider: 'other', status: 'DEAD', receivedAt: new Date('2026-10-01T00:00:00Z') },
    ]);
    const [event] = await seedEvents(t.prisma, [{ provider: 'synthetic', receivedAt: new Date(base) }]);
    const runAt = new Date(base + 5000);
    for (const [model, input, output, cost] of [
      ['claude-sonnet-4-5', 1000, 200, '0.006000'],
      ['claude-sonnet-4-5', 3000, 400, '0.015000'],
      ['claude-haiku-4-5', 500, 100, null],
    ] as const) {
      await t.prisma.agentRun.create({
        data: { eventId: event, agent: 'a', model, status: 'SUCCEEDED', inputTokens: input, outputTokens: output, costUsd: cost, startedAt: runAt },
      });
    }

    const stats = await admin(t.url, `/admin/stats?from=${from.toISOString()}&to=2026-11-02T00:00:00Z`);
    expect(stats.status).toBe(200);
    expect(stats.body.events).toEqual([
      { provider: 'other', status: 'DEAD', count: 1 },
      { provider: 'other', status: 'QUEUED', count: 1 },
      { provider: 'synthetic', status: 'SUCCEEDED', count: 101 },
    ]);
    // 100 latencies of 1..100 s and one of 0.5 s (the DEAD one): percentile_cont over 101 values.
    expect(stats.body.processingLatency).toMatchObject({ count: 101, p50Ms: 50_000, p95Ms: 95_000, p99Ms: 99_000 });
    expect(stats.body.agentUsage).toEqual([
      { model: 'claude-haiku-4-5', runs: 1, inputTokens: 500, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
      { model: 'claude-sonnet-4-5', runs: 2, inputTokens: 4000, outputTokens: 600, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.021 },
    ]);
    expect(stats.body.queues).toEqual(providerQueues());
    // The QUEUED event of the other provider, on 2026-11-01, is the oldest unprocessed one.
    const expectedAge = (Date.now() - (base + 10)) / 1000;
    expect(Math.abs(stats.body.oldestUnprocessedAgeSeconds - expectedAge)).toBeLessThan(60);

    expect((await admin(t.url, '/admin/stats?from=last-week')).body).toMatchObject({ error: 'invalid_parameter', parameters: ['from'] });
    expect((await admin(t.url, '/admin/stats?to=2026-02-30T00:00:00Z')).status).toBe(400);
  });

  it('reports acknowledgement latency of this process', async () => {
    const delivery = syntheticDelivery('other.event');
    const accepted = await postSynthetic(t.url, delivery);
    expect(accepted.status).toBe(202);
    const stats = await admin(t.url, '/admin/stats');
    expect(stats.body.ackLatency.count).toBeGreaterThanOrEqual(1);
    expect(stats.body.ackLatency.p50Ms).toBeGreaterThan(0);
    expect(stats.body.ackLatency.p99Ms).toBeGreaterThanOrEqual(stats.body.ackLatency.p50Ms);
    // Its job must not finish during the next test, whose metric deltas would count it.
    await waitFor('the event to be processed', async () => (await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: accepted.body!.id as string } })).status === 'IGNORED');
  });

  it('reports the real queue depth: a job no worker takes is counted waiting', async () => {
    // An api process alone: it enqueues, and nothing takes the job off its queue.
    const api = await startTestApp({ APP_ROLE: 'api', ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000' });
    try {
      const accepted = await postSynthetic(api.url, syntheticDelivery('other.event'));
      expect(accepted.status).toBe(202);
      // The job is added right after the commit that the 202 waited for, not before it.
      const queues = await waitFor('the job to be on the queue', async () => {
        const stats = await admin(api.url, '/admin/stats');
        return stats.body.queues.find((q: { provider: string }) => q.provider === 'synthetic')?.waiting > 0 ? stats.body.queues : null;
      });
      expect(queues).toEqual(providerQueues({ synthetic: 1 }));
    } finally {
      await api.close();
    }
  });

  it('exposes Prometheus metrics: requests by provider and status, ack latency, queue depths, job durations, tokens, cost, actions', async () => {
    const before = (await admin<string>(t.url, '/metrics')).body;
    const accepted = await postSynthetic(t.url, syntheticDelivery('other.event'));
    expect(accepted.status).toBe(202);
    const unsigned = syntheticDelivery('other.event');
    expect((await postSynthetic(t.url, { ...unsigned, headers: { 'x-synthetic-delivery': unsigned.deliveryId } })).status).toBe(401);
    await waitFor('the event to be processed', async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: accepted.body!.id as string } });
      return row.status === 'IGNORED';
    });
    // A run is written when it starts and again, with its tokens and cost, when it finishes.
    const run = await t.prisma.agentRun.create({ data: { eventId: accepted.body!.id as string, agent: 'a', model: 'claude-sonnet-4-5' } });
    await t.prisma.agentRun.update({ where: { id: run.id }, data: { status: 'SUCCEEDED', inputTokens: 1234, outputTokens: 56, costUsd: '0.004500' } });
    const action = await t.prisma.agentAction.create({
      data: {
        eventId: run.eventId,
        runId: run.id,
        agent: 'a',
        tool: 'rollback_deploy',
        arguments: {},
        idempotencyKey: randomUUID(),
        status: 'PENDING_APPROVAL',
        policy: 'approval',
      },
    });
    await t.prisma.agentAction.update({ where: { id: action.id }, data: { status: 'EXECUTING' } });
    await t.prisma.agentAction.update({ where: { id: action.id }, data: { status: 'EXECUTED', result: { ok: true } } });

    const metrics = await admin<string>(t.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = metrics.body;
    const delta = (series: string) => sample(text, series) - sample(before, series);
    expect(delta('hookwise_webhook_requests_total{provider="synthetic",status="202"}')).toBe(1);
    expect(delta('hookwise_webhook_requests_total{provider="synthetic",status="401"}')).toBe(1);
    expect(delta('hookwise_webhook_ack_duration_seconds_count{provider="synthetic"}')).toBe(2);
    expect(delta('hookwise_job_duration_seconds_count{queue="webhooks-synthetic",outcome="completed"}')).toBe(1);
    expect(text).toContain('hookwise_queue_jobs{queue="webhooks-synthetic",state="waiting"} 0');
    expect(delta('hookwise_agent_tokens_total{model="claude-sonnet-4-5",kind="input"}')).toBe(1234);
    expect(delta('hookwise_agent_tokens_total{model="claude-sonnet-4-5",kind="output"}')).toBe(56);
    expect(delta('hookwise_agent_cost_usd_total{model="claude-sonnet-4-5"}')).toBeCloseTo(0.0045, 9);
    for (const status of ['PENDING_APPROVAL', 'EXECUTING', 'EXECUTED']) {
      expect(delta(`hookwise_agent_actions_total{tool="rollback_deploy",status="${status}"}`), status).toBe(1);
    }
    expect(delta('hookwise_agent_actions_total{tool="rollback_deploy",status="FAILED"}')).toBe(0);

    // Counters never go down: runs and actions deleted with their event stay counted.
    await t.prisma.webhookEvent.delete({ where: { id: run.eventId } });
    const afterDelete = (await admin<string>(t.url, '/metrics')).body;
    for (const series of [
      'hookwise_agent_tokens_total{model="claude-sonnet-4-5",kind="input"}',
      'hookwise_agent_cost_usd_total{model="claude-sonnet-4-5"}',
      'hookwise_agent_actions_total{tool="rollback_deploy",status="EXECUTED"}',
    ]) {
      expect(sample(afterDelete, series), series).toBe(sample(text, series));
    }

    // Unmatched URLs never become label values.
    await fetch(`${t.url}/webhooks/not-a-provider-${randomUUID()}`, { method: 'POST', body: '{}' });
    expect((await admin<string>(t.url, '/metrics')).body).not.toContain('not-a-provider');
  });

  it('serves the OpenAPI document with bearer security and whitelisted schemas, and the UI at /docs', async () => {
    const doc = await admin(t.url, '/docs-json', { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, method] of [
      ['/admin/events', 'get'],
      ['/admin/events/{id}', 'get'],
      ['/admin/events/{id}/replay', 'post'],
      ['/admin/events/replay', 'post'],
      ['/admin/actions', 'get'],
      ['/admin/actions/{id}/approve', 'post'],
      ['/admin/actions/{id}/reject', 'post'],
      ['/admin/stats', 'get'],
    ]) {
      expect(doc.body.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
    }
    const listParameters = doc.body.paths['/admin/events'].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(listParameters).toEqual(['cursor', 'deliveryId', 'from', 'include', 'limit', 'provider', 'status', 'subject', 'to', 'type']);
    expect(Object.keys(doc.body.components.schemas.EventSummaryDto.properties)).not.toContain('headers');
    expect(Object.keys(doc.body.components.schemas.AgentActionDto.properties)).not.toContain('idempotencyKey');
    const ui = await fetch(`${t.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('mounts Bull Board over the provider queues, the replay queue and the reconciliation queue at /admin/queues', async () => {
    const page = await admin<string>(t.url, '/admin/queues');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Hookwise queues</title>');
    const api = await admin(t.url, '/admin/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['admin-replays', 'reconciliation', ...TEST_PROVIDERS.map((provider) => webhookQueueName(provider.name))].sort());
  });
});
