import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeployWatch } from '../../generated/prisma/client.js';
import { ADMIN_KEY, admin } from '../../../test/support/admin-client.js';
import { keyFingerprint } from '../../admin/auth/admin-key-verifier.js';
import { outputSchemaOf } from '../../../test/support/fake-anthropic.js';
import { startTestWorker } from '../../../test/support/test-app.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { deploymentCreated, deploymentDelivery, postDeployment } from './testing/deployment-deliveries.js';
import { ASSESSMENT, startReleaseWatchApp, type ReleaseWatchApp } from './testing/release-watch-app.js';
import { ReleaseWatch, rollbackKey } from './release-watch.js';

describe('Release watch, end to end (signed deploy → smoke checks → error-rate samples → rollback once → Slack)', () => {
  let w: ReleaseWatchApp;

  beforeAll(async () => {
    w = await startReleaseWatchApp();
  });
  afterAll(() => w?.close());
  beforeEach(() => w.reset());
  afterEach(() => waitFor('every event to settle', async () => (await w.t.prisma.webhookEvent.count({ where: { status: { notIn: ['SUCCEEDED', 'IGNORED', 'DEAD'] } } })) === 0));

  async function deploy(overrides: Parameters<typeof deploymentCreated>[0] extends infer O ? Partial<O> : never = {}) {
    const payload = deploymentCreated({ urls: [w.service.url], ...overrides });
    const response = await postDeployment(w.t.url, deploymentDelivery(payload));
    expect(response.status).toBe(202);
    return { id: response.body!.id as string, deployment: payload.data };
  }

  const watchEnded = (eventId: string) =>
    waitFor(`the watch of ${eventId} to end`, async () => {
      const watch = await w.t.prisma.deployWatch.findUnique({ where: { eventId } });
      return watch && watch.status !== 'WATCHING' ? watch : null;
    });
  const slackPosted = (count: number) => waitFor(`${count} Slack message(s)`, () => (w.slackTexts().length >= count ? w.slackTexts() : null));
  const samples = (watch: DeployWatch) => watch.samples as Array<{ value: number | null }>;

  it('a healthy deploy: smoke checks pass, the window passes under the threshold, no rollback, one success message', async () => {
    const { id, deployment } = await deploy({ environment: 'staging' });
    const watch = await watchEnded(id);

    expect(watch).toMatchObject({ status: 'HEALTHY', deploymentId: deployment.deployment_id, service: 'web', environment: 'staging' });
    expect(watch.smokeChecks).toEqual([{ url: `${w.service.url}/healthz`, ok: true, status: 200, detail: 'HTTP 200' }]);
    expect(samples(watch).length).toBeGreaterThanOrEqual(3);
    expect(w.prometheus.queries[0]).toBe('job:errors:ratio{service="web",env="staging"}');
    expect(w.service.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /healthz']);

    const [text] = await slackPosted(1);
    expect(text).toContain(`*web* v42 in *staging* is healthy (deployment ${deployment.deployment_id})`);
    expect(text).toContain('Smoke checks: all 1 passed');
    expect(w.rollback.requests).toHaveLength(0);
    expect(w.anthropic.requests).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.slackTexts()).toHaveLength(1);
  });

  it('a breaching deploy in an auto environment (staging): one rollback to the previous version, whatever is retried or replayed, and one report', async () => {
    const { id, deployment } = await deploy({ environment: 'staging' });
    await waitFor('a first sample', async () => samples((await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: id } }))).length >= 1);
    w.prometheus.value = 0.2;
    const watch = await watchEnded(id);
    expect(watch).toMatchObject({ status: 'BREACHED', statusReason: 'error rate 0.2 above 0.05' });

    await waitFor('the rollback request', () => w.rollback.requests.length === 1);
    const [request] = w.rollback.requests;
    expect(JSON.parse(request.body)).toEqual({ deployment: deployment.deployment_id, to_version: 'v41', reason: expect.stringContaining(ASSESSMENT.summary), event_id: id });
    expect(request.headers['idempotency-key']).toBe(rollbackKey(deployment.deployment_id));

    const [report] = await slackPosted(1);
    expect(report).toContain(`failed its release watch (deployment ${deployment.deployment_id}): rolled back to v41`);
    expect(report).toContain('Error rate 0.2 above 0.05');
    expect(report).toContain(`Assessment (AI-written): ${ASSESSMENT.summary}`);

    // The model was asked once, for a summary in the assessment's schema, with the evidence as data.
    expect(w.anthropic.requests).toHaveLength(1);
    expect(Object.keys(outputSchemaOf(w.anthropic.requests[0])!.properties as object)).toEqual(['summary', 'suspected_cause', 'confidence']);
    expect(w.anthropic.requests[0].body.messages[0].content).toMatch(/<untrusted_data name="evidence">[\s\S]*"value": 0.2/);

    // A sample job run again, and a replay of the event, request nothing new.
    await w.t.app.get(ReleaseWatch).sample({ eventId: id, sample: 99 });
    await w.t.app.get(AgentReplayService).replay(id);
    expect(w.rollback.requests).toHaveLength(1);
    expect(w.slackTexts()).toHaveLength(1);
    expect(await w.t.prisma.agentAction.count({ where: { tool: 'rollback_deploy' } })).toBe(1);
  });

  /** A production deploy that breaches: its watch ends BREACHED, its rollback waits for approval, and Slack says so. */
  async function pendingRollback() {
    w.prometheus.value = 0.5;
    const { id, deployment } = await deploy({ environment: 'production' });
    const watch = await watchEnded(id);
    expect(watch).toMatchObject({ status: 'BREACHED' });
    const action = await waitFor('the pending rollback', () => w.t.prisma.agentAction.findFirst({ where: { idempotencyKey: rollbackKey(deployment.deployment_id) } }));
    expect(action).toMatchObject({ status: 'PENDING_APPROVAL', policy: 'approval', arguments: { deployment: deployment.deployment_id, to_version: 'v41' } });
    const [report] = await slackPosted(1);
    expect(report).toContain(`rollback to v41 waits for an operator's approval (action ${action.id})`);
    expect(w.rollback.requests).toHaveLength(0);
    await waitFor('the event to finish', async () => (await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status === 'SUCCEEDED');
    return { id, deployment, watch, action };
  }

  /** The event ran again after the decision (a second attempt) and finished; the watch was not touched. */
  async function continued(id: string, watch: DeployWatch) {
    const event = await waitFor('the event to continue and finish', async () => {
      const row = await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.attempts === 2 && row.status === 'SUCCEEDED' ? row : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: id } });
    expect(after).toMatchObject({ status: 'BREACHED', statusReason: watch.statusReason });
    expect(samples(after)).toEqual(samples(watch));
    expect(w.anthropic.requests).toHaveLength(1);
    return event;
  }

  it('a breaching deploy in production waits for approval; approved twice, the rollback is requested once, and one more message reports it', async () => {
    const { id, deployment, watch, action } = await pendingRollback();
    const queries = w.prometheus.queries.length;

    const [first, second] = await Promise.all([
      admin(w.t.url, `/admin/actions/${action.id}/approve`, { method: 'POST' }),
      admin(w.t.url, `/admin/actions/${action.id}/approve`, { method: 'POST' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(w.rollback.requests).toHaveLength(1);
    expect(JSON.parse(w.rollback.requests[0].body)).toMatchObject({ deployment: deployment.deployment_id, to_version: 'v41' });
    expect((await w.t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('EXECUTED');

    // The approval continues the event in a worker: one report of the outcome, with the evidence; nothing else again.
    const [, outcome] = await slackPosted(2);
    expect(outcome).toContain(`failed its release watch (deployment ${deployment.deployment_id}): rolled back to v41 (approved by ${keyFingerprint(ADMIN_KEY)})`);
    expect(outcome).toContain('Error rate 0.5 above 0.05');
    expect(outcome).toContain(`Assessment (AI-written): ${ASSESSMENT.summary}`);
    await continued(id, watch);
    expect(w.prometheus.queries).toHaveLength(queries);
    expect(w.slackTexts()).toHaveLength(2);
    expect(w.rollback.requests).toHaveLength(1);
    expect((await w.t.prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' } })).map((a) => `${a.tool}:${a.status}`)).toEqual([
      'rollback_deploy:EXECUTED',
      'post_slack_message:EXECUTED',
      'post_slack_message:EXECUTED',
    ]);
  });

  it('a rejected rollback is never requested; the continued event reports the rejection once', async () => {
    const { id, deployment, watch, action } = await pendingRollback();
    const rejected = await admin(w.t.url, `/admin/actions/${action.id}/reject`, { method: 'POST', body: { reason: 'fixing forward <!channel>' } });
    expect(rejected.status).toBe(200);

    const [, outcome] = await slackPosted(2);
    expect(outcome).toContain(`(deployment ${deployment.deployment_id}): rollback to v41 rejected by ${keyFingerprint(ADMIN_KEY)} (fixing forward ‹!channel›); the deployment stays`);
    await continued(id, watch);
    expect(w.slackTexts()).toHaveLength(2);
    expect(w.rollback.requests).toHaveLength(0);
    expect((await w.t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('REJECTED');
  });

  it('a failing smoke check short-circuits the watch: no error-rate sample, one rollback (staging: at once)', async () => {
    w.service.answer({ status: 503, body: 'upstream connect error' });
    const { id } = await deploy({ environment: 'staging' });
    const watch = await watchEnded(id);

    expect(watch).toMatchObject({ status: 'SMOKE_FAILED', statusReason: '1 of 1 smoke checks failed' });
    expect(watch.smokeChecks).toEqual([{ url: `${w.service.url}/healthz`, ok: false, status: 503, detail: 'HTTP 503, expected 200' }]);
    await waitFor('the rollback request', () => w.rollback.requests.length === 1);
    const [report] = await slackPosted(1);
    expect(report).toContain('Smoke checks: 1 of 1 failed');
    expect(report).toContain('HTTP 503, expected 200');
    expect(w.prometheus.queries).toHaveLength(0);
    expect(samples(watch)).toHaveLength(0);
  });

  it('a body that lacks the expected text fails the smoke check too', async () => {
    w.service.answer({ status: 200, body: { status: 'degraded' } });
    const { id } = await deploy({ environment: 'production' });
    expect(await watchEnded(id)).toMatchObject({ status: 'SMOKE_FAILED' });
  });

  it('a smoke check that gets no answer fails within its timeout (the checks are bounded in time)', async () => {
    w.service.answer(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: { ok: true } }), 3000)));
    const started = Date.now();
    const { id } = await deploy({ environment: 'production' });
    const watch = await watchEnded(id);
    expect(watch).toMatchObject({ status: 'SMOKE_FAILED' });
    expect((watch.smokeChecks as Array<{ detail: string }>)[0].detail).toMatch(/no answer within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(2900);
  });

  it('an unreadable Prometheus gives samples without data, not a stuck watch; the report says so', async () => {
    w.prometheus.failWith = 503;
    const { id } = await deploy({ environment: 'staging' });
    const watch = await watchEnded(id);
    expect(watch.status).toBe('HEALTHY');
    expect(samples(watch).every((sample) => sample.value === null)).toBe(true);
    const [text] = await slackPosted(1);
    expect(text).toMatch(/Error rate: \d+ samples \(\d+ without data\)/);
  });

  it('a newer deploy of the same service and environment cancels the older watch, recorded; only the newer one reports', async () => {
    const older = await deploy({ environment: 'production', version: 'v42' });
    await waitFor('the older watch to start sampling', async () => samples((await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: older.id } }))).length >= 1);
    const other = await deploy({ environment: 'staging', service: 'api' });
    const newer = await deploy({ environment: 'production', version: 'v43', previous_version: 'v42' });

    const cancelled = await watchEnded(older.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelledBy: newer.deployment.deployment_id, statusReason: `superseded by deployment ${newer.deployment.deployment_id} (v43)` });
    expect(await watchEnded(newer.id)).toMatchObject({ status: 'HEALTHY' });
    expect(await watchEnded(other.id)).toMatchObject({ status: 'HEALTHY' });
    const texts = await slackPosted(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.slackTexts()).toHaveLength(2);
    expect(texts.some((t) => t.includes(newer.deployment.deployment_id))).toBe(true);
    expect(texts.some((t) => t.includes(older.deployment.deployment_id))).toBe(false);
    // The older watch took no sample after it was cancelled.
    const after = await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: older.id } });
    expect(samples(after)).toEqual(samples(cancelled));
  });
});

describe('Release watch across a worker restart', () => {
  let w: ReleaseWatchApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

  beforeAll(async () => {
    // The api receives; separate worker processes take the samples, one after the other.
    w = await startReleaseWatchApp({ APP_ROLE: 'api', DEPLOY_WATCH_WINDOW_MS: '1500', DEPLOY_WATCH_INTERVAL_MS: '150' });
    await w.reset();
  });
  afterAll(async () => {
    await worker?.close();
    await w?.close();
  });

  it('a worker stopped mid-window leaves the watch in the ledger and its next sample queued; a new worker finishes it, once', async () => {
    worker = await startTestWorker(w.t.config);
    const payload = deploymentCreated({ urls: [w.service.url], environment: 'staging' });
    const response = await postDeployment(w.t.url, deploymentDelivery(payload));
    const id = response.body!.id as string;
    await waitFor('two samples', async () => ((await w.t.prisma.deployWatch.findUnique({ where: { eventId: id } }))?.samples as unknown[] | undefined)?.length! >= 2);
    await worker.close();
    worker = undefined;

    const stopped = await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: id } });
    expect(stopped.status).toBe('WATCHING');
    const taken = (stopped.samples as unknown[]).length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(((await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: id } })).samples as unknown[]).length).toBe(taken);

    w.prometheus.value = 0.3;
    worker = await startTestWorker(w.t.config);
    const ended = await waitFor('the watch to end', async () => {
      const watch = await w.t.prisma.deployWatch.findUniqueOrThrow({ where: { eventId: id } });
      return watch.status !== 'WATCHING' ? watch : null;
    });
    expect(ended.status).toBe('BREACHED');
    expect((ended.samples as unknown[]).length).toBe(taken + 1);
    await waitFor('the rollback request', () => w.rollback.requests.length === 1);
    await waitFor('the report', () => w.slackTexts().length === 1);
    expect(JSON.parse(w.rollback.requests[0].body)).toMatchObject({ deployment: payload.data.deployment_id, to_version: 'v41' });
  });
});

describe('Release watch with agents off (no ANTHROPIC_API_KEY)', () => {
  let w: ReleaseWatchApp;
  beforeAll(async () => {
    w = await startReleaseWatchApp({ ANTHROPIC_API_KEY: undefined });
    await w.reset();
  });
  afterAll(() => w?.close());

  it('a failing deploy requests no rollback, but Slack is told it failed and why nothing was done', async () => {
    w.service.answer({ status: 500, body: 'boom' });
    const payload = deploymentCreated({ urls: [w.service.url], environment: 'staging' });
    const response = await postDeployment(w.t.url, deploymentDelivery(payload));
    const id = response.body!.id as string;
    const [report] = await waitFor('the report', () => (w.slackTexts().length === 1 ? w.slackTexts() : null));
    expect(report).toContain(`failed its release watch (deployment ${payload.data.deployment_id}): no rollback requested (agents are off`);
    expect(report).toContain('HTTP 500, expected 200');
    expect(w.rollback.requests).toHaveLength(0);
    expect(w.anthropic.requests).toHaveLength(0);
    expect((await waitFor('the event to settle', async () => {
      const row = await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status !== 'PROCESSING' && row.status !== 'QUEUED' ? row : null;
    })).status).toBe('IGNORED');
  });
});
