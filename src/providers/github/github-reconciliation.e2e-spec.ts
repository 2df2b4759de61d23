import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RECONCILIATION_QUEUE } from '../../core/reconciliation/reconciliation-queue.js';
import { ReconciliationService } from '../../core/reconciliation/reconciliation.service.js';
import { admin, ADMIN_KEY } from '../../../test/support/admin-client.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn } from '../../../test/support/fake-anthropic.js';
import { startTestWorker, TEST_GITHUB_SECRET } from '../../../test/support/test-app.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { githubDelivery, githubExample, githubPullRequest, postGithub } from './testing/github-deliveries.js';
import { startPrReviewApp, type PrReviewApp } from './testing/pr-review-app.js';

const HOOK = 'Codertocat/Hello-World#292430182';
/** The hook's path in GitHub's REST API (and in the stand-in's record). */
const HOOK_PATH = 'repos/Codertocat/Hello-World/hooks/292430182';
const REVIEW = { summary: 'Adds a greeting to the README.', findings: [], suggestions: [] };
const MINUTE = 60_000;

describe('GitHub reconciliation: deliveries GitHub recorded and the ledger lacks are redelivered, once', () => {
  let apis: PrReviewApp;
  const t = () => apis.t;

  /** Sets the stored point (how far back the next run looks), forgetting earlier runs unless told not to. */
  async function pointAt(agoMs: number, keepRuns = false) {
    if (!keepRuns) await t().prisma.reconciliationRun.deleteMany({ where: { source: 'github' } });
    const reconciledUntil = new Date(Date.now() - agoMs);
    await t().prisma.reconciliationPoint.upsert({ where: { source: 'github' }, create: { source: 'github', reconciledUntil }, update: { reconciledUntil } });
  }

  /** Asks for a run through the admin API and waits for the worker to finish it. */
  async function runThroughAdmin() {
    const before = await t().prisma.reconciliationRun.count({ where: { source: 'github' } });
    const response = await admin(t().url, '/admin/reconciliation/run?source=github', { method: 'POST' });
    expect(response.status).toBe(202);
    expect(response.body.queued).toEqual([{ source: 'github', jobId: expect.stringMatching(/^reconcile-github-manual-/), queuedAt: expect.any(String) }]);
    return waitFor('the reconciliation run to finish', async () => {
      const runs = await t().prisma.reconciliationRun.findMany({ where: { source: 'github', finishedAt: { not: null } }, orderBy: { startedAt: 'asc' } });
      return runs.length > before ? runs.at(-1) : null;
    });
  }

  /** A delivery received through the endpoint as usual (now in the ledger). */
  async function receivedNormally(event: string, payload: Record<string, unknown>) {
    const delivery = await githubDelivery(event, payload);
    expect((await postGithub(t().url, delivery)).status).toBe(202);
    return delivery.deliveryId;
  }

  beforeAll(async () => {
    apis = await startPrReviewApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-reconcile-key',
      GITHUB_TOKEN: 'ghp_testtokenreconcile0123456789',
      GITHUB_RECONCILE_HOOKS: HOOK,
      ADMIN_API_KEYS: ADMIN_KEY,
      // A schedule, to see it set; its first run (at start, on an empty record) is waited for below.
      RECONCILE_INTERVAL: '1h',
    });
    await waitFor('the scheduled run at start', () => t().prisma.reconciliationRun.findFirst({ where: { source: 'github', finishedAt: { not: null } } }));
  });
  afterAll(() => apis?.close());
  beforeEach(async () => {
    await apis.reset();
    apis.anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
    apis.github.hooks.redeliverTo = { url: `${t().url}/webhooks/github`, secret: TEST_GITHUB_SECRET };
    await pointAt(60 * MINUTE);
  });

  it('one job scheduler per configured source, every RECONCILE_INTERVAL (Stripe, without STRIPE_API_KEY, has none)', async () => {
    const queue = t().app.get<Queue>(getQueueToken(RECONCILIATION_QUEUE), { strict: false });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['reconcile-github', 3_600_000]]);
  });

  it('a delivery that failed while Hookwise was down is redelivered once and processed once; one that succeeded, or that the ledger has, is left alone', async () => {
    // In the ledger: one GitHub recorded as answered, one it recorded as failed (its 10 s ran out after the commit).
    const succeeded = await receivedNormally('issues', githubExample('issues', 'opened'));
    const timedOutButLedgered = await receivedNormally('issues', githubExample('issues', 'opened'));
    // Not in the ledger: GitHub got no answer (Hookwise down), and one Hookwise refused for good (signed with another secret).
    const pr = githubPullRequest('opened');
    const missed = randomUUID();
    const refused = randomUUID();
    const { hooks } = apis.github;
    hooks.add(HOOK_PATH, { guid: succeeded, event: 'issues', payload: githubExample('issues', 'opened'), statusCode: 202, agoMs: 40 * MINUTE });
    hooks.add(HOOK_PATH, { guid: timedOutButLedgered, event: 'issues', payload: githubExample('issues', 'opened'), statusCode: 0, agoMs: 30 * MINUTE });
    const down = hooks.add(HOOK_PATH, { guid: missed, event: 'pull_request', payload: pr, statusCode: 0, agoMs: 20 * MINUTE });
    hooks.add(HOOK_PATH, { guid: refused, event: 'issues', payload: githubExample('issues', 'opened'), statusCode: 401, agoMs: 10 * MINUTE });
    // Older than the point: already reconciled by an earlier run.
    hooks.add(HOOK_PATH, { guid: randomUUID(), event: 'issues', payload: githubExample('issues', 'opened'), statusCode: 0, agoMs: 90 * MINUTE });

    const run = await runThroughAdmin();
    expect(run).toMatchObject({ status: 'SUCCEEDED', trigger: 'manual', found: 4, missing: 2, redelivered: 1, ingested: 0, errors: 1 });
    expect(run.lastError).toContain(`delivery ${refused} (issues) was refused with 401; not redelivered`);
    expect(hooks.redeliveryRequests).toEqual([{ hook: HOOK_PATH, deliveryId: down.id, guid: missed }]);

    // GitHub's redelivery came through the endpoint, signed, and was reviewed once.
    const event = await waitFor('the redelivered event', () => t().prisma.webhookEvent.findUnique({ where: { provider_deliveryId: { provider: 'github', deliveryId: missed } } }));
    const settled = await eventSettled(t().prisma, event.id);
    expect(settled).toMatchObject({ status: 'SUCCEEDED', provenance: 'webhook', deliveryCount: 1, eventType: 'pull_request.opened' });
    expect(apis.github.comments).toHaveLength(1);
    expect(hooks.attempts(HOOK_PATH)[0]).toMatchObject({ guid: missed, redelivery: true, status_code: 202 });

    // The same window again (the redelivery attempt now in GitHub's record too): nothing more is asked for.
    await pointAt(60 * MINUTE, true);
    const again = await runThroughAdmin();
    expect(again).toMatchObject({ status: 'SUCCEEDED', found: 4, missing: 1, redelivered: 0, errors: 1 });
    expect(hooks.redeliveryRequests).toHaveLength(1);
    expect(apis.github.comments).toHaveLength(1);
    expect(await t().prisma.webhookEvent.count({ where: { deliveryId: { in: [succeeded, timedOutButLedgered, missed, refused] } } })).toBe(3);

    // The operator's view and the counters.
    const status = await admin(t().url, '/admin/reconciliation');
    expect(status.status).toBe(200);
    const github = status.body.sources.find((s: { source: string }) => s.source === 'github');
    expect(github).toMatchObject({ available: true, running: false, reconciledUntil: again.until.toISOString(), lastRun: { id: again.id, status: 'SUCCEEDED', found: 4, redelivered: 0 } });
    expect(status.body.sources.find((s: { source: string }) => s.source === 'stripe')).toMatchObject({ available: false, unavailableReason: 'STRIPE_API_KEY is not set' });
    const metrics = await admin(t().url, '/metrics');
    expect(metrics.body).toContain('hookwise_reconciled_total{provider="github",outcome="redelivered"} 1');
    expect(metrics.body).toContain('hookwise_reconciled_total{provider="github",outcome="found"} 8');
    const audit = await t().prisma.adminAuditEntry.findMany({ where: { action: 'reconciliation.run' } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('two processes asked at once: one runs, the other finds the source locked; an admin request meanwhile is 409', async () => {
    const { hooks } = apis.github;
    hooks.add(HOOK_PATH, { guid: randomUUID(), event: 'issues', payload: githubExample('issues', 'opened'), statusCode: 202, agoMs: 5 * MINUTE });
    hooks.listingDelayMs = 500;
    let worker: INestApplicationContext | undefined;
    try {
      // A worker of its own (its own PostgreSQL sessions), on the app's ledger and queues.
      // (RECONCILE_INTERVAL off: its schedule would start a third run at its start.)
      worker = await startTestWorker({ ...t().config, RECONCILE_INTERVAL: 0 });
      const runs = [t().app.get(ReconciliationService), worker.get(ReconciliationService)].map((service) => service.run('github', 'manual'));
      await waitFor('a listing to start', () => hooks.listingsInFlight > 0);
      const busy = await admin(t().url, '/admin/reconciliation/run?source=github', { method: 'POST' });
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ error: 'reconciliation_running', sources: ['github'] });
      const outcomes = await Promise.all(runs);
      expect(outcomes.map((o) => (o.ran ? 'ran' : o.reason)).sort()).toEqual(['ran', 'running_elsewhere']);
    } finally {
      await worker?.close();
    }
    expect(hooks.maxListingsInFlight).toBe(1);
    expect(hooks.listings).toHaveLength(1);
    expect(await t().prisma.reconciliationRun.count({ where: { source: 'github' } })).toBe(1);
  });

  it('a run that fails mid-pagination keeps the point; the next run starts from it and redelivers what is missing', async () => {
    const { hooks } = apis.github;
    const missed: string[] = [];
    const ledgered: string[] = [];
    for (let i = 0; i < 150; i++) {
      const guid = randomUUID();
      (i % 50 === 0 ? missed : ledgered).push(guid);
      hooks.add(HOOK_PATH, { guid, event: 'issues', payload: githubExample('issues', 'opened'), statusCode: i % 50 === 0 ? 0 : 202, agoMs: (10 + i / 10) * MINUTE });
    }
    await t().prisma.webhookEvent.createMany({
      data: ledgered.map((deliveryId) => ({ id: randomUUID(), provider: 'github', deliveryId, eventType: 'issues.opened', payload: {}, status: 'IGNORED' as const })),
    });
    const point = (await t().prisma.reconciliationPoint.findUniqueOrThrow({ where: { source: 'github' } })).reconciledUntil;
    hooks.failListingsAfter = 1; // the second page fails
    const failed = await runThroughAdmin();
    expect(failed).toMatchObject({ status: 'FAILED', since: point, redelivered: 0 });
    expect(failed.lastError).toMatch(/list deliveries of hook Codertocat\/Hello-World#292430182: HTTP 502/);
    expect((await t().prisma.reconciliationPoint.findUniqueOrThrow({ where: { source: 'github' } })).reconciledUntil).toEqual(point);

    hooks.failListingsAfter = null;
    const resumed = await runThroughAdmin();
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', since: point, found: 150, missing: 3, redelivered: 3 });
    expect(hooks.redeliveryRequests.map((r) => r.guid).sort()).toEqual([...missed].sort());
    expect((await t().prisma.reconciliationPoint.findUniqueOrThrow({ where: { source: 'github' } })).reconciledUntil).toEqual(resumed.until);
  });
});
