import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/admin/auth/admin-key-verifier.js';
import { ActionService } from '../../src/core/actions/action.service.js';
import type { EventStatus } from '../../src/generated/prisma/client.js';
import { ADMIN_KEY, SECOND_ADMIN_KEY, admin, seedEvents } from '../support/admin-client.js';
import { apiError, endTurn, type FakeAnthropic } from '../support/fake-anthropic.js';
import type { FakeGithubApi } from '../../src/connectors/github/testing/fake-github-api.js';
import { FakeHttpEndpoint } from '../../src/connectors/http-actions/testing/fake-http-endpoint.js';
import { githubDelivery, githubPullRequest, postGithub } from '../../src/providers/github/testing/github-deliveries.js';
import { startPrReviewApp, type PrReviewApp } from '../../src/providers/github/testing/pr-review-app.js';
import { PrivateRedis } from '../support/private-redis.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const REVIEW = { summary: 'Adds a greeting.', findings: [], suggestions: ['Add a test.'] };

describe('admin replay and approvals, against the real agent runtime and fake connectors', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let github: FakeGithubApi;
  let rollback: FakeHttpEndpoint;

  async function reviewedPullRequest(): Promise<string> {
    const response = await postGithub(t.url, await githubDelivery('pull_request', githubPullRequest()));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;
    await waitFor(`event ${id} to be reviewed`, async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return (['SUCCEEDED', 'DEAD'] as EventStatus[]).includes(row.status) ? row : null;
    });
    return id;
  }

  async function pendingRollback(eventId: string, deployment = 'web@v42'): Promise<string> {
    const outcome = await t.app.get(ActionService).execute({
      eventId,
      agent: 'deploy-guard',
      allowedTools: ['rollback_deploy'],
      tool: 'rollback_deploy',
      args: { deployment, reason: 'error rate above 5% after deploy' },
    });
    if (outcome.kind !== 'recorded') throw new Error(`unexpected outcome ${outcome.kind}`);
    expect(outcome.action.status).toBe('PENDING_APPROVAL');
    return outcome.action.id;
  }

  let apis: PrReviewApp;

  beforeAll(async () => {
    rollback = await FakeHttpEndpoint.start();
    apis = await startPrReviewApp({
      ADMIN_API_KEYS: `${ADMIN_KEY},${SECOND_ADMIN_KEY}`,
      ADMIN_THROTTLE_LIMIT: '100000',
      ANTHROPIC_API_KEY: 'sk-ant-admin-test',
      GITHUB_TOKEN: 'ghp_admintest0123456789',
      ROLLBACK_URL: `${rollback.url}/rollback`,
    });
    ({ t, anthropic, github } = apis);
  });
  afterAll(async () => {
    await apis?.close();
    await rollback?.stop();
  });
  beforeEach(async () => {
    await apis.reset();
    await t.prisma.adminAuditEntry.deleteMany();
    rollback.reset();
    anthropic.fallback = () => endTurn(JSON.stringify(REVIEW), { input_tokens: 1000, output_tokens: 100 });
  });

  describe('POST /admin/events/:id/replay', () => {
    it('without flags re-runs the event and repeats nothing already executed', async () => {
      const id = await reviewedPullRequest();
      expect(github.comments).toHaveLength(1);

      const replay = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: {} });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({
        eventId: id,
        handler: 'github-pr-review',
        dryRun: false,
        repeatActions: false,
        outcome: { status: 'succeeded' },
        eventStatus: 'SUCCEEDED',
      });
      expect(replay.body.replayId).toMatch(/^[0-9a-f-]{36}$/);
      expect(github.comments).toHaveLength(1);
      expect(await t.prisma.agentAction.count({ where: { eventId: id, status: 'EXECUTED' } })).toBe(1);
    });

    it('with dryRun executes nothing and returns what would have been done', async () => {
      const id = await reviewedPullRequest();
      const dry = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: { dryRun: true } });
      expect(dry.status).toBe(200);
      expect(dry.body.dryRun).toBe(true);
      expect(dry.body.agentRuns).toEqual([expect.objectContaining({ dryRun: true, replayId: dry.body.replayId, agent: 'github-pr-review' })]);
      expect(dry.body.actions).toEqual([
        expect.objectContaining({ tool: 'github_post_issue_comment', status: 'DRY_RUN', statusReason: 'dry-run requested (replay)' }),
      ]);
      expect(dry.body.actions[0].arguments.body).toContain('Adds a greeting.');
      // The fake GitHub saw the original comment only.
      expect(github.comments).toHaveLength(1);
      expect(anthropic.requests).toHaveLength(2);
    });

    it('resolves a DEAD event that the replay handles, and leaves it DEAD after a dry run', async () => {
      anthropic.fallback = () => apiError(400); // a request the model refuses: permanent, DEAD at once
      const id = await reviewedPullRequest();
      const dead = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      expect(dead).toMatchObject({ status: 'DEAD', lastError: expect.stringContaining('anthropic: HTTP 400') });
      expect(github.comments).toHaveLength(0);

      anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
      const dry = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: { dryRun: true } });
      expect(dry.body).toMatchObject({ outcome: { status: 'succeeded' }, eventStatus: 'DEAD' });
      expect((await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe('DEAD');

      const replay = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: {} });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ outcome: { status: 'succeeded' }, eventStatus: 'SUCCEEDED' });
      expect(github.comments).toHaveLength(1);
      const resolved = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      expect(resolved).toMatchObject({
        status: 'SUCCEEDED',
        statusReason: `resolved by replay ${replay.body.replayId}`,
        lastError: dead.lastError,
        attempts: dead.attempts,
      });
      // The next bulk replay of DEAD events no longer picks it up; a second replay leaves it SUCCEEDED.
      expect((await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['DEAD'] } })).body).toMatchObject({ queued: 0 });
      const second = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: {} });
      expect(second.body).toMatchObject({ eventStatus: 'SUCCEEDED' });
      expect(github.comments).toHaveLength(1);
    });

    it('a replay whose model call fails says why and names the replay: 429 rate limited, 502 server error, 422 refused', async () => {
      anthropic.fallback = () => apiError(400); // DEAD at once, so a replay asks the model again
      const id = await reviewedPullRequest();
      const before = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      expect(before.status).toBe('DEAD');
      const cases = [
        { reply: { ...apiError(429), headers: { 'retry-after': '7' } }, status: 429, error: 'upstream_rate_limited', http: 'HTTP 429' },
        { reply: apiError(500), status: 502, error: 'replay_failed', http: 'HTTP 500' },
        { reply: apiError(400), status: 422, error: 'replay_failed_permanently', http: 'HTTP 400' },
      ];
      for (const c of cases) {
        anthropic.fallback = () => c.reply;
        const replay = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: {} });
        expect(replay.status, JSON.stringify(replay.body).slice(0, 600)).toBe(c.status);
        expect(replay.body).toMatchObject({ statusCode: c.status, error: c.error, message: expect.stringContaining(`anthropic: ${c.http}`), replayId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        if (c.status === 429) expect([replay.body.retryAfterSeconds, replay.headers.get('retry-after')]).toEqual([7, '7']);
        const run = await t.prisma.agentRun.findFirstOrThrow({ where: { replayId: replay.body.replayId } });
        expect(run).toMatchObject({ status: 'FAILED', error: expect.stringContaining(c.http) });
      }
      // A failed replay changes nothing on the event.
      expect(await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: before.status, attempts: before.attempts, lastError: before.lastError });
      expect(github.comments).toHaveLength(0);
    });

    it('with repeatActions executes the actions again, as asked', async () => {
      const id = await reviewedPullRequest();
      const again = await admin(t.url, `/admin/events/${id}/replay`, { method: 'POST', body: { repeatActions: true } });
      expect(again.status).toBe(200);
      expect(again.body.actions).toEqual([expect.objectContaining({ tool: 'github_post_issue_comment', status: 'EXECUTED' })]);
      expect(github.comments).toHaveLength(2);
    });

    it('404 for an unknown event, 422 for an unhandled one, 400 for a malformed id or body; the audit trail holds the well-formed calls only', async () => {
      const unknown = uuidv7();
      expect((await admin(t.url, `/admin/events/${unknown}/replay`, { method: 'POST', body: {} })).status).toBe(404);
      const [push] = await seedEvents(t.prisma, [{ eventType: 'push', receivedAt: new Date() }]);
      const unhandled = await admin(t.url, `/admin/events/${push}/replay`, { method: 'POST' });
      expect(unhandled.status).toBe(422);
      expect(unhandled.body.message).toContain('no handler in this process for github event push');
      expect((await admin(t.url, '/admin/events/nope/replay', { method: 'POST', body: {} })).body).toMatchObject({ parameters: ['id'] });
      const badFlag = await admin(t.url, `/admin/events/${unknown}/replay`, { method: 'POST', body: { dryRun: 'yes' } });
      expect(badFlag).toMatchObject({ status: 400, body: { error: 'invalid_parameter', parameters: ['dryRun'] } });
      const extra = await admin(t.url, `/admin/events/${unknown}/replay`, { method: 'POST', body: { dryrun: true } });
      expect(extra).toMatchObject({ status: 400, body: { parameters: ['dryrun'] } });

      // The two calls that passed validation (the 422 and the 404), newest first; the three 400s were refused before any replay.
      const audit = await admin(t.url, '/admin/audit');
      expect(audit.body).toEqual([
        expect.objectContaining({ action: 'event.replay', target: push, keyFingerprint: keyFingerprint(ADMIN_KEY) }),
        expect.objectContaining({ action: 'event.replay', target: unknown, keyFingerprint: keyFingerprint(ADMIN_KEY), details: { dryRun: false, repeatActions: false } }),
      ]);
    });
  });

  describe('POST /admin/events/replay (bulk)', () => {
    it('queues the newest matching events up to max, answers with the count, and the replays run', async () => {
      const ids = [await reviewedPullRequest(), await reviewedPullRequest(), await reviewedPullRequest()];
      await seedEvents(t.prisma, [{ provider: 'stripe', status: 'SUCCEEDED', receivedAt: new Date() }]);
      expect(github.comments).toHaveLength(3);

      const bulk = await admin(t.url, '/admin/events/replay', {
        method: 'POST',
        body: { provider: 'github', type: 'pull_request.opened', status: ['SUCCEEDED'], max: 2, dryRun: true },
        key: SECOND_ADMIN_KEY,
      });
      expect(bulk.status).toBe(202);
      expect(bulk.body).toMatchObject({ queued: 2, dryRun: true, repeatActions: false });

      const dryRuns = await waitFor('two dry-run replays', async () => {
        const runs = await t.prisma.agentRun.findMany({ where: { dryRun: true } });
        return runs.length === 2 ? runs : null;
      });
      expect(dryRuns.map((r) => r.eventId).sort()).toEqual([ids[1], ids[2]].sort());
      expect(github.comments).toHaveLength(3);
      const audit = await admin(t.url, '/admin/audit');
      expect(audit.body[0]).toMatchObject({
        action: 'events.replay',
        target: bulk.body.batchId,
        keyFingerprint: keyFingerprint(SECOND_ADMIN_KEY),
        details: { max: 2, dryRun: true, matched: 2, filters: { provider: 'github', status: ['SUCCEEDED'] } },
      });
    });

    it('matches several statuses, or a type alone, as the event list does', async () => {
      const now = Date.now();
      await seedEvents(t.prisma, [
        { eventType: 'push', status: 'DEAD', receivedAt: new Date(now - 3000) },
        { eventType: 'push', status: 'FAILED', receivedAt: new Date(now - 2000) },
        { eventType: 'push', status: 'SUCCEEDED', receivedAt: new Date(now - 1000) },
      ]);
      for (const [filters, queued] of [
        [{ status: ['DEAD', 'FAILED'] }, 2],
        [{ type: 'push' }, 3],
      ] as const) {
        const bulk = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { ...filters, dryRun: true } });
        expect({ status: bulk.status, queued: bulk.body.queued }, JSON.stringify(filters)).toEqual({ status: 202, queued });
      }
    });

    it('waits out a rate limit and replays again, where a replay repeats no actions', async () => {
      anthropic.fallback = () => apiError(400); // DEAD at once
      const id = await reviewedPullRequest();
      expect((await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe('DEAD');

      anthropic.reset();
      anthropic.enqueue(apiError(429), apiError(429), { ...apiError(429), headers: { 'retry-after': '1' } });
      anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
      const bulk = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['DEAD'] } });
      expect(bulk.body).toMatchObject({ queued: 1, repeatActions: false });

      const resolved = await waitFor('the replay after the rate limit to resolve the event', async () => {
        const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
        return row.status === 'SUCCEEDED' ? row : null;
      });
      expect(resolved.statusReason).toMatch(/^resolved by replay /);
      expect(anthropic.requests[3].receivedAt - anthropic.requests[2].receivedAt).toBeGreaterThanOrEqual(1000);
      const runs = await t.prisma.agentRun.findMany({ where: { eventId: id, replayId: { not: null } }, orderBy: { startedAt: 'asc' } });
      expect(runs.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
      expect(github.comments).toHaveLength(1);
    });

    it('queues nothing when nothing matches, and 400s name the parameter', async () => {
      expect((await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: 'DEAD' } })).body).toMatchObject({ queued: 0 });
      for (const [body, parameter] of [
        [{ max: 0 }, 'max'],
        [{ max: 10_001 }, 'max'],
        [{ status: ['BROKEN'] }, 'status'],
        [{ from: 'yesterday' }, 'from'],
        [{ repeatActions: 1 }, 'repeatActions'],
        [{ cursor: 'x' }, 'cursor'],
      ] as const) {
        const response = await admin(t.url, '/admin/events/replay', { method: 'POST', body });
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.parameters, JSON.stringify(body)).toEqual([parameter]);
      }
    });
  });

  describe('approvals', () => {
    it('lists pending actions, and two concurrent approvals execute the action exactly once', async () => {
      const [eventId] = await seedEvents(t.prisma, [{ provider: 'github', eventType: 'deployment_status.created', receivedAt: new Date() }]);
      const actionId = await pendingRollback(eventId);
      // Slow connector: both approvals arrive while the first is still executing.
      rollback.answer(async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { status: 200, body: { rolledBack: 'web@v41' } };
      });

      const pending = await admin(t.url, '/admin/actions?status=PENDING_APPROVAL');
      expect(pending.status).toBe(200);
      expect(pending.body.items).toEqual([
        expect.objectContaining({ id: actionId, tool: 'rollback_deploy', status: 'PENDING_APPROVAL', policy: 'approval', eventId }),
      ]);

      const [a, b] = await Promise.all([
        admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {}, key: ADMIN_KEY }),
        admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {}, key: SECOND_ADMIN_KEY }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? a : b;
      expect(winner.body).toMatchObject({ id: actionId, status: 'EXECUTED', result: { status: 200, body: { rolledBack: 'web@v41' } } });
      expect(rollback.requests).toHaveLength(1);
      expect(JSON.parse(String(rollback.requests[0].body))).toMatchObject({ deployment: 'web@v42', event_id: eventId });

      const row = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: actionId } });
      expect(row.status).toBe('EXECUTED');
      expect([keyFingerprint(ADMIN_KEY), keyFingerprint(SECOND_ADMIN_KEY)]).toContain(row.approvedBy);
      expect((await admin(t.url, '/admin/actions?status=PENDING_APPROVAL')).body.items).toEqual([]);

      const again = await admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {} });
      expect(again.status).toBe(409);
      expect(rollback.requests).toHaveLength(1);
      const audit = (await admin(t.url, '/admin/audit')).body as Array<{ action: string; target: string }>;
      expect(audit.filter((e) => e.action === 'action.approve' && e.target === actionId)).toHaveLength(3);
    });

    it('asks again for an approved action that failed, when its event calls it again, and runs it once more only when approved', async () => {
      const [eventId] = await seedEvents(t.prisma, [{ receivedAt: new Date() }]);
      const actionId = await pendingRollback(eventId, 'api@v9');
      rollback.answer({ status: 503, body: { error: 'deployer busy' } });
      const failed = await admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {} });
      expect(failed.body).toMatchObject({ id: actionId, status: 'FAILED', error: expect.stringContaining('503') });
      expect((await admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {} })).status).toBe(409);

      // The event's retry (or a replay) makes the identical call: the same row waits for an operator again.
      expect(await pendingRollback(eventId, 'api@v9')).toBe(actionId);
      const pending = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: actionId } });
      expect(pending).toMatchObject({ status: 'PENDING_APPROVAL', approvedBy: null, error: expect.stringContaining('503') });
      expect(pending.statusReason).toContain('asked again: the previous attempt failed');
      expect(rollback.requests).toHaveLength(1);

      rollback.answer({ status: 200, body: { rolledBack: 'api@v8' } });
      const approved = await admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {} });
      expect(approved.body).toMatchObject({ id: actionId, status: 'EXECUTED', error: null, approvedBy: keyFingerprint(ADMIN_KEY) });
      expect(rollback.requests).toHaveLength(2);
      expect(await t.prisma.agentAction.count({ where: { eventId } })).toBe(1);
    });

    it('rejects with a reason (never executed), and answers 400/404/409 where it should', async () => {
      const [eventId] = await seedEvents(t.prisma, [{ receivedAt: new Date() }]);
      const actionId = await pendingRollback(eventId, 'api@v7');

      expect((await admin(t.url, `/admin/actions/${actionId}/reject`, { method: 'POST', body: {} })).body).toMatchObject({
        error: 'invalid_parameter',
        parameters: ['reason'],
      });
      expect((await admin(t.url, `/admin/actions/${actionId}/reject`, { method: 'POST', body: { reason: '' } })).status).toBe(400);

      const rejected = await admin(t.url, `/admin/actions/${actionId}/reject`, { method: 'POST', body: { reason: 'fixed forward instead' } });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'fixed forward instead', rejectedBy: keyFingerprint(ADMIN_KEY) });
      expect((await admin(t.url, `/admin/actions/${actionId}/approve`, { method: 'POST', body: {} })).status).toBe(409);
      expect((await admin(t.url, `/admin/actions/${actionId}/reject`, { method: 'POST', body: { reason: 'twice' } })).status).toBe(409);
      expect(rollback.requests).toHaveLength(0);

      expect((await admin(t.url, `/admin/actions/${uuidv7()}/approve`, { method: 'POST', body: {} })).status).toBe(404);
      expect((await admin(t.url, `/admin/actions/${uuidv7()}/reject`, { method: 'POST', body: { reason: 'x' } })).status).toBe(404);
      expect((await admin(t.url, '/admin/actions/123/approve', { method: 'POST', body: {} })).body).toMatchObject({ parameters: ['id'] });

      const audit = (await admin(t.url, '/admin/audit')).body as Array<{ action: string; target: string; details: unknown }>;
      // One row per call: the decision with its outcome (written by DecisionAudit), the refused call with its refusal.
      expect(audit.filter((e) => e.action === 'action.reject' && e.target === actionId).map((e) => e.details)).toEqual([
        { reason: 'twice', via: 'admin-api', refused: 'not_pending' },
        { reason: 'fixed forward instead', via: 'admin-api', outcome: 'REJECTED', tool: 'rollback_deploy', eventId },
      ]);
    });

    it('filters the action list by status, tool and event, pages it, and 400s on bad filters', async () => {
      const [e1, e2] = await seedEvents(t.prisma, [{ receivedAt: new Date() }, { receivedAt: new Date() }]);
      const first = await pendingRollback(e1, 'a@1');
      const second = await pendingRollback(e2, 'b@2');
      const third = await pendingRollback(e2, 'c@3');
      await admin(t.url, `/admin/actions/${first}/reject`, { method: 'POST', body: { reason: 'no' } });

      const ids = async (query: string) => (await admin(t.url, `/admin/actions?${query}`)).body.items.map((a: { id: string }) => a.id);
      expect(await ids('status=PENDING_APPROVAL')).toEqual([third, second]);
      expect(await ids('status=REJECTED,PENDING_APPROVAL')).toEqual([third, second, first]);
      expect(await ids(`eventId=${e2}`)).toEqual([third, second]);
      expect(await ids('tool=send_email')).toEqual([]);
      const page1 = await admin(t.url, '/admin/actions?limit=2');
      expect(page1.body.items).toHaveLength(2);
      const page2 = await admin(t.url, `/admin/actions?limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items.map((a: { id: string }) => a.id)).toEqual([first]);
      expect(page2.body.nextCursor).toBeNull();

      for (const [query, parameter] of [
        ['status=WAITING', 'status'],
        ['eventId=abc', 'eventId'],
        ['tool=Drop%20Table', 'tool'],
        ['limit=500', 'limit'],
        ['cursor=zzz', 'cursor'],
      ]) {
        const response = await admin(t.url, `/admin/actions?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.parameters, query).toEqual([parameter]);
      }
    });
  });
});

// Needs redis-server (a private one it can stop); skipped without it, except with CI=true.
describe.skipIf(!PrivateRedis.available())('POST /admin/events/replay (bulk) while Redis is down', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({ QUEUE_BACKEND: 'redis', REDIS_URL: redis.url, ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000' });
    await resetLedger(t.prisma);
  });
  afterAll(async () => {
    if (t) await resetLedger(t.prisma);
    await t?.close();
    await redis?.stop();
  });

  it('answers 503 queue_unavailable, changes nothing, and queues nothing to be sent once Redis is back', async () => {
    const [id] = await seedEvents(t.prisma, [{ status: 'DEAD', receivedAt: new Date() }]);
    await redis.stop();

    const refused = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['DEAD'] } });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ statusCode: 503, error: 'queue_unavailable', message: expect.stringMatching(/^could not queue the replays: /) });
    expect(await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', attempts: 0 });
    expect(await t.prisma.agentRun.count()).toBe(0);

    // Once Redis is back (an empty one) the same request is queued: one job, so none of the refused
    // requests left a job behind to be sent on reconnection.
    await redis.start();
    const queued = await waitFor('a bulk replay to be queued once Redis is back', async () => {
      const bulk = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['DEAD'] } });
      return bulk.status === 202 ? bulk : null;
    });
    expect(queued.body).toMatchObject({ queued: 1 });
    const board = await admin(t.url, '/admin/queues/api/queues');
    const replays = board.body.queues.find((q: { name: string }) => q.name === 'admin-replays');
    expect(Object.values(replays.counts as Record<string, number>).reduce((sum, n) => sum + n, 0)).toBe(1);
  }, 60_000);
});
