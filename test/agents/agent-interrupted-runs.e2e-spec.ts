import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/env.schema.js';
import { webhookQueueName } from '../../src/core/queue/queue-names.js';
import type { WebhookJobData } from '../../src/core/queue/webhook-job.js';
import { SUBJECT_HISTORY_TOOL } from '../../src/core/agents/subject-history.js';
import { githubProvider } from '../../src/providers/github/index.js';
import { ADMIN_KEY, admin, seedEvents } from '../support/admin-client.js';
import { endTurn, toolUse, type FakeAnthropicReply } from '../support/fake-anthropic.js';
import { githubDelivery, githubPullRequest, postGithub } from '../../src/providers/github/testing/github-deliveries.js';
import { startPrReviewApp, type PrReviewApp } from '../../src/providers/github/testing/pr-review-app.js';
import { startTestWorker } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const ANTHROPIC_KEY = 'sk-ant-test-interrupted-runs-key';
const GITHUB_TOKEN = 'ghp_interruptedrunstesttoken0123456789';
const REVIEW = { summary: 'Adds a greeting to the README.', findings: [], suggestions: ['Add a test.'] };
/** What the model's first round trip, the one the killed worker saw answered, cost. */
const FIRST_ROUND_USAGE = { input_tokens: 1_800, output_tokens: 60, cache_creation_input_tokens: 1_500, cache_read_input_tokens: 0 };
const NO_BACKGROUND_PASSES = String(3_600_000);
/** Starting a worker process (SWC compiles the sources as they load) takes a few seconds, more on a busy machine. */
const WITH_WORKER_PROCESS = { timeout: 60_000 };

/**
 * An agent run whose worker process dies mid-run (kill -9, out of memory, eviction) while the model
 * holds its answer: the first worker here is a real process (src/main.ts, APP_ROLE=worker) that the
 * test kills with SIGKILL. The job then runs again in another worker (a worker context in the test
 * process), started here by calling its processor with the same job, as BullMQ's stalled-job
 * recovery does once the dead worker's lock has expired (up to a minute later with BullMQ's defaults).
 * That worker is started first, so that its start-up sweep is over before anything happens, and on
 * queues of its own, so that it does not take the job before the worker process does.
 */
describe('agent runs interrupted by the death of their worker', () => {
  let apis: PrReviewApp;
  let worker: WorkerProcess | null = null;
  let takeover: INestApplicationContext | null = null;
  let releaseHeldAnswers: () => void = () => undefined;

  const config = (): AppConfig => apis.t.config;
  /** The environment of the worker process that is killed: the same queues, ledger and fakes as the api. */
  const workerEnv = () => ({
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: apis.anthropic.url,
    GITHUB_TOKEN,
    GITHUB_API_URL: apis.github.url,
    OUTBOX_RELAY_INTERVAL_MS: NO_BACKGROUND_PASSES,
  });

  beforeAll(async () => {
    // The api alone: it takes the deliveries and answers the admin API; workers come and go per test.
    apis = await startPrReviewApp({
      APP_ROLE: 'api',
      ADMIN_API_KEYS: ADMIN_KEY,
      ADMIN_THROTTLE_LIMIT: '100000',
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      GITHUB_TOKEN,
      OUTBOX_RELAY_INTERVAL_MS: NO_BACKGROUND_PASSES,
    });
  });
  afterAll(() => apis?.close());
  beforeEach(async () => {
    await apis.reset();
    // The first question is answered with a look at the subject's history, the second is held (the
    // worker asking it dies meanwhile); later ones get the review.
    let asked = 0;
    const held = new Promise<void>((resolve) => (releaseHeldAnswers = resolve));
    apis.anthropic.fallback = (): FakeAnthropicReply => {
      asked++;
      if (asked === 1) return toolUse(SUBJECT_HISTORY_TOOL, {}, FIRST_ROUND_USAGE);
      const reply = endTurn(JSON.stringify(REVIEW));
      return asked === 2 ? { ...reply, until: held } : reply;
    };
  });
  afterEach(async () => {
    await worker?.kill();
    worker = null;
    releaseHeldAnswers();
    await takeover?.close();
    takeover = null;
  });

  async function deliverPullRequest(): Promise<string> {
    const response = await postGithub(apis.t.url, await githubDelivery('pull_request', githubPullRequest('opened')));
    expect(response.status).toBe(202);
    return response.body!.id as string;
  }

  /** The event as the admin API shows it. */
  async function eventDetail(id: string) {
    const response = await admin(apis.t.url, `/admin/events/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** A run of the event is waiting on the model in the worker process. */
  async function runningInWorkerProcess(id: string): Promise<void> {
    await waitFor('the worker process to ask the model a second time', () => apis.anthropic.requests.length === 2);
    // What the first round trip spent is recorded while the run goes on.
    expect((await eventDetail(id)).agentRuns).toEqual([
      expect.objectContaining({ status: 'RUNNING', finishedAt: null, error: null, iterations: 1, inputTokens: 1_800, outputTokens: 60, cacheWriteTokens: 1_500 }),
    ]);
  }

  /** kill -9, then until PostgreSQL has ended its sessions (at once on this machine: the kernel closes its sockets). */
  async function killWorkerProcess(): Promise<void> {
    const { applicationName } = worker!;
    await worker!.kill();
    worker = null;
    await waitFor('PostgreSQL to end the killed worker’s sessions', async () => {
      const rows = await apis.t.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
      return rows[0].n === 0n;
    });
  }

  /** The worker that runs the job again; `sweepEveryMs`: its OUTBOX_RELAY_INTERVAL_MS. */
  async function startTakeoverWorker(sweepEveryMs: number): Promise<void> {
    takeover = await startTestWorker({ ...config(), QUEUE_PREFIX: `${config().QUEUE_PREFIX}-takeover`, OUTBOX_RELAY_INTERVAL_MS: sweepEveryMs });
  }

  /** Runs the event's job again in the takeover worker, as BullMQ does with a stalled job. */
  async function runJobAgain(id: string): Promise<string> {
    const queue = apis.t.app.get<Queue<WebhookJobData>>(getQueueToken(webhookQueueName('github')), { strict: false });
    const job = await queue.getJob(id);
    expect(job).toBeTruthy();
    return takeover!.get(githubProvider.processor).process(job!);
  }

  it('closes the run of a killed worker as FAILED when the next attempt takes over, and acts once', WITH_WORKER_PROCESS, async () => {
    await startTakeoverWorker(Number(NO_BACKGROUND_PASSES));
    worker = await startWorkerProcess(config(), workerEnv());
    const id = await deliverPullRequest();
    await runningInWorkerProcess(id);

    await killWorkerProcess();
    expect(await runJobAgain(id)).toBe('succeeded');

    const event = await eventDetail(id);
    expect({ status: event.status, attempts: event.attempts }).toEqual({ status: 'SUCCEEDED', attempts: 2 });
    const [interrupted, retried] = event.agentRuns;
    expect(event.agentRuns).toHaveLength(2);
    expect(interrupted).toMatchObject({
      status: 'FAILED',
      stopReason: 'interrupted',
      error: 'interrupted: the worker running this attempt stopped before it finished; attempt 2 took over',
      finishedAt: expect.any(String),
      durationMs: null,
      // The tokens spent before the worker died stay on the run, and so in /admin/stats and /metrics.
      iterations: 1,
      inputTokens: 1_800,
      outputTokens: 60,
      cacheWriteTokens: 1_500,
      costUsd: expect.any(Number),
    });
    expect(interrupted.costUsd).toBeGreaterThan(0);
    expect(Date.parse(interrupted.finishedAt)).toBeLessThanOrEqual(Date.parse(retried.startedAt));
    expect(retried).toMatchObject({ status: 'SUCCEEDED', error: null, finishedAt: expect.any(String) });
    // Acted once: the one review comment, posted by the run that finished.
    expect(event.actions).toEqual([expect.objectContaining({ tool: 'github_post_issue_comment', status: 'EXECUTED' })]);
    expect(apis.github.comments).toHaveLength(1);
    expect(apis.anthropic.requests).toHaveLength(3);
  });

  it('leaves a run whose worker is alive RUNNING when another attempt takes over, and the sweep closes it once that worker dies', WITH_WORKER_PROCESS, async () => {
    await startTakeoverWorker(200);
    worker = await startWorkerProcess(config(), workerEnv());
    const id = await deliverPullRequest();
    await runningInWorkerProcess(id);

    // As after a lost job lock (Redis away from the first worker, or its event loop blocked): the
    // job runs again while its first run is still going.
    expect(await runJobAgain(id)).toBe('succeeded');
    // Five sweeps later, the first run is still RUNNING: its worker is alive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await eventDetail(id)).agentRuns).toMatchObject([
      { status: 'RUNNING', finishedAt: null },
      { status: 'SUCCEEDED', error: null },
    ]);

    await killWorkerProcess();
    const [interrupted] = await waitFor('the sweep to close the run of the killed worker', async () => {
      const runs = (await eventDetail(id)).agentRuns;
      return runs[0].status === 'RUNNING' ? null : runs;
    });
    expect(interrupted).toMatchObject({
      status: 'FAILED',
      stopReason: 'interrupted',
      error: 'interrupted: the process running this run stopped before it finished (found by the periodic sweep)',
      finishedAt: expect.any(String),
    });
    const event = await eventDetail(id);
    expect(event.status).toBe('SUCCEEDED');
    expect(event.actions).toEqual([expect.objectContaining({ tool: 'github_post_issue_comment', status: 'EXECUTED' })]);
    expect(apis.github.comments).toHaveLength(1);
  });

  it('closes runs recorded without an owner (before this version) once they are a day old', async () => {
    const [id] = await seedEvents(apis.t.prisma, [{ eventType: 'pull_request.opened', status: 'DEAD', receivedAt: new Date() }]);
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    await apis.t.prisma.agentRun.createMany({
      data: [
        { id: randomUUID(), eventId: id, agent: 'github-pr-review', model: 'claude-sonnet-4-6', startedAt: hoursAgo(25) },
        { id: randomUUID(), eventId: id, agent: 'github-pr-review', model: 'claude-sonnet-4-6', startedAt: hoursAgo(23) },
      ],
    });
    await startTakeoverWorker(200);

    const runs = await waitFor('the sweep to close the day-old run', async () => {
      const detail = (await eventDetail(id)).agentRuns;
      return detail[0].status === 'RUNNING' ? null : detail;
    });
    expect(runs).toMatchObject([
      { status: 'FAILED', stopReason: 'interrupted', error: expect.stringMatching(/^interrupted: still RUNNING 24 h after it started/), finishedAt: expect.any(String) },
      { status: 'RUNNING', finishedAt: null },
    ]);
  });
});
