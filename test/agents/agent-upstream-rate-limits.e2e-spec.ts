import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, endTurn, type FakeAnthropic } from '../support/fake-anthropic.js';
import type { FakeGithubApi } from '../../src/connectors/github/testing/fake-github-api.js';
import { githubDelivery, githubPullRequest, postGithub } from '../../src/providers/github/testing/github-deliveries.js';
import { capturedLogLines } from '../support/log-capture.js';
import { startPrReviewApp, type PrReviewApp } from '../../src/providers/github/testing/pr-review-app.js';
import type { TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const REVIEW = { summary: 'Fine.', findings: [], suggestions: [] };
const PAUSE_SECONDS = 2;

describe('upstream rate limits (Anthropic 429, GitHub 403 with its limit spent): the queue waits, the attempt does not count', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let github: FakeGithubApi;

  let apis: PrReviewApp;

  beforeAll(async () => {
    apis = await startPrReviewApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-rate-limit',
      GITHUB_TOKEN: 'ghp_testtokenratelimit0123456789',
      // One attempt: before, a rate-limited event went straight to DEAD.
      JOB_ATTEMPTS: '1',
    });
    ({ t, anthropic, github } = apis);
  });
  afterAll(() => apis?.close());
  beforeEach(() => apis.reset());

  it('requeues the event uncounted, starts no job of the queue until retry-after has passed, then reviews once', async () => {
    // The SDK's own two retries come quickly; the last 429 asks for PAUSE_SECONDS.
    const lastRateLimit = { ...apiError(429), headers: { 'retry-after': String(PAUSE_SECONDS) } };
    anthropic.enqueue(apiError(429), apiError(429), lastRateLimit);
    anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));

    const first = await postGithub(t.url, await githubDelivery('pull_request', githubPullRequest()));
    expect(first.status).toBe(202);
    const firstId = first.body!.id as string;

    const waiting = await waitFor('the rate-limited event to be queued again', async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: firstId } });
      return row.status === 'QUEUED' && row.lastError ? row : null;
    });
    expect(anthropic.requests).toHaveLength(3);
    const limitedAt = anthropic.requests[2].receivedAt;
    expect(waiting.attempts).toBe(0);
    expect(waiting.lastError).toContain('anthropic: HTTP 429');
    expect(waiting.statusReason).toBe(`rate limited upstream: the queue waits ${PAUSE_SECONDS * 1000} ms; the attempt does not count`);

    // A new event of the same queue waits out the same pause.
    const second = await postGithub(t.url, await githubDelivery('pull_request', githubPullRequest()));
    expect(second.status).toBe(202);
    const secondId = second.body!.id as string;

    const settled = await waitFor('both events to succeed', async () => {
      const rows = await t.prisma.webhookEvent.findMany({ where: { id: { in: [firstId, secondId] } }, orderBy: { id: 'asc' } });
      return rows.every((row) => row.status === 'SUCCEEDED') ? rows : null;
    });
    // The pause starts after the last 429 was answered, so no later call can come sooner.
    const after = anthropic.requests.slice(3).map((request) => request.receivedAt - limitedAt);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(PAUSE_SECONDS * 1000);
    expect(settled.map((row) => ({ attempts: row.attempts, lastError: row.lastError, statusReason: row.statusReason }))).toEqual([
      { attempts: 1, lastError: null, statusReason: null },
      { attempts: 1, lastError: null, statusReason: null },
    ]);
    expect(github.comments).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(5);

    const runs = await t.prisma.agentRun.findMany({ where: { eventId: firstId }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(runs[0].error).toContain('HTTP 429');
    expect(capturedLogLines.some((line) => line.includes('rate limited upstream; pausing the queue') && line.includes(`"waitMs":${PAUSE_SECONDS * 1000}`))).toBe(true);
  });

  it('posts the review once GitHub’s rate limit has reset, without asking the model again', async () => {
    anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
    const resetAt = Date.now() + 1500;
    github.commentsRateLimitedUntil = resetAt;

    const response = await postGithub(t.url, await githubDelivery('pull_request', githubPullRequest()));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;

    const waiting = await waitFor('the rate-limited event to be queued again', async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'QUEUED' && row.lastError ? row : null;
    });
    expect(waiting.attempts).toBe(0);
    expect(waiting.lastError).toContain('github: comment on Codertocat/Hello-World#2: HTTP 403 (rate limited)');
    expect(waiting.lastError).not.toContain('ghp_');

    const done = await waitFor('the event to succeed', async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'SUCCEEDED' ? row : null;
    });
    expect(done.attempts).toBe(1);
    expect(github.comments).toHaveLength(1);
    // x-ratelimit-reset has 1 s resolution, rounded up: the post cannot come before resetAt.
    expect(github.comments[0].postedAt).toBeGreaterThanOrEqual(resetAt);
    expect(anthropic.requests).toHaveLength(1);
    const action = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: id } });
    expect(action).toMatchObject({ tool: 'github_post_issue_comment', status: 'EXECUTED' });
  });
});
