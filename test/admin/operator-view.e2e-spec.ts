import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotConnectorConfig } from '../../src/connectors/hubspot/hubspot-connector.config.js';
import { HubSpotConnector } from '../../src/connectors/hubspot/hubspot.connector.js';
import { LinearConnectorConfig } from '../../src/connectors/linear/linear-connector.config.js';
import { LinearConnector } from '../../src/connectors/linear/linear.connector.js';
import { AgentRunner } from '../../src/core/agents/agent-runner.js';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';
import { PermanentError } from '../../src/core/processing/permanent-error.js';
import type { EventStatus, WebhookEvent } from '../../src/generated/prisma/client.js';
import { ADMIN_KEY, admin } from '../support/admin-client.js';
import { eventSettled } from '../support/event-settled.js';
import { apiError, endTurn, toolUse } from '../support/fake-anthropic.js';
import { FakeGithubApi } from '../../src/connectors/github/testing/fake-github-api.js';
import { githubDelivery, githubExample, githubPullRequest, postGithub } from '../../src/providers/github/testing/github-deliveries.js';
import { capturedLogLines } from '../support/log-capture.js';
import { connectorFromEnv } from '../support/connector-from-env.js';
import { startPrReviewApp, type PrReviewApp } from '../../src/providers/github/testing/pr-review-app.js';
import { sample } from '../support/prometheus-sample.js';
import { rejectionOf } from '../support/rejection-of.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * What an operator sees of a delivery (ledger through the admin API, logs, /metrics, admin errors)
 * says what happened, which upstream failed and how, and can be followed by the event id.
 */

const REVIEW = { summary: 'Looks fine.', findings: [], suggestions: [] };

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function logLinesSince(index: number): LogLine[] {
  return capturedLogLines.slice(index).map((line) => JSON.parse(line) as LogLine);
}

async function deliver(t: TestApp, event: string, payload: unknown): Promise<string> {
  const response = await postGithub(t.url, await githubDelivery(event, payload));
  expect(response.status).toBe(202);
  return response.body!.id as string;
}

function settled(t: TestApp, id: string, statuses?: EventStatus[]): Promise<WebhookEvent> {
  return eventSettled(t.prisma, id, statuses);
}

describe('what an operator sees, with the model and GitHub answering', () => {
  let apis: PrReviewApp;
  let t: TestApp;

  beforeAll(async () => {
    apis = await startPrReviewApp({
      ANTHROPIC_API_KEY: 'sk-ant-operator-view-key',
      GITHUB_TOKEN: 'ghp_operatorviewtoken0123456789',
      JOB_ATTEMPTS: '2',
      ADMIN_API_KEYS: ADMIN_KEY,
      ADMIN_THROTTLE_LIMIT: '100000',
      SMOKE_TEST_URL: 'http://127.0.0.1:9/smoke',
    });
    t = apis.t;
    // An agent with a tool, on an event type the service does not handle otherwise.
    const runner = t.app.get(AgentRunner);
    t.app.get(EventHandlerRegistry).register({
      name: 'deploy-check',
      provider: 'github',
      handles: (type) => type === 'issues.opened',
      handle: async (event, _attempt, options) => {
        await runner.run({ event, agent: { name: 'deploy-check', system: 'Check deploys.', tools: ['run_smoke_test'] }, task: 'Check.', data: {}, options });
      },
    });
  });
  afterAll(() => apis?.close());
  beforeEach(() => apis.reset());

  it("a connector's failure is logged under the event id, and the ledger keeps GitHub's reason", async () => {
    apis.anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
    apis.github.commentFailureStatus = 403;
    const since = capturedLogLines.length;
    const id = await deliver(t, 'pull_request', githubPullRequest('opened'));
    const event = await settled(t, id);

    expect(event).toMatchObject({ status: 'DEAD', statusReason: 'permanent error: not retried' });
    // GitHub's own words say why (a token without the scope, a locked issue...), not just the status.
    expect(event.lastError).toBe('posting the review failed: github: comment on Codertocat/Hello-World#2: HTTP 403: fake failure');
    const actionLines = logLinesSince(since).filter((line) => line.actionId !== undefined);
    expect(actionLines.map((line) => line.msg)).toEqual(['action recorded', 'action failed']);
    for (const line of actionLines) expect(line.eventId).toBe(id);
  });

  it('a tool call with invalid arguments, which records no action, leaves a line naming the event, the tool and the error', async () => {
    apis.anthropic.enqueue(toolUse('run_smoke_test', { deployment: 42 }), endTurn('Could not run the smoke test.'));
    const since = capturedLogLines.length;
    const id = await deliver(t, 'issues', githubExample('issues', 'opened'));
    await settled(t, id);

    expect(await t.prisma.agentAction.count({ where: { eventId: id } })).toBe(0);
    const refused = logLinesSince(since).filter((line) => line.msg === 'tool call refused: invalid arguments');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 40, eventId: id, agent: 'deploy-check', tool: 'run_smoke_test' });
    expect(refused[0].err).toContain('deployment');
  });

  it('/metrics counts every failed attempt the ledger counts, not only the last one', async () => {
    apis.anthropic.fallback = () => apiError(500);
    const failedAttempts = 'hookwise_job_duration_seconds_count{queue="webhooks-github",outcome="failed"}';
    const before = sample((await admin(t.url, '/metrics')).body as string, failedAttempts);
    const id = await deliver(t, 'pull_request', githubPullRequest('opened'));
    const event = await settled(t, id);
    expect(event).toMatchObject({ status: 'DEAD', attempts: 2, statusReason: 'gave up after 2 attempts' });

    // The 'failed' listener runs after the job is moved; the ledger row is written before.
    await waitFor('both failed attempts to be observed', async () => sample((await admin(t.url, '/metrics')).body as string, failedAttempts) - before === 2, 5000);
  });

  it("a refused delivery's log line says why it was refused, as its answer does", async () => {
    const delivery = await githubDelivery('issues', githubExample('issues', 'opened'));
    const refusals = [
      { ...delivery, headers: { ...delivery.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } },
      { ...delivery, headers: Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== 'x-hub-signature-256')) },
      await githubDelivery('issues', null, { body: '{"not json' }),
      { ...delivery, headers: { ...delivery.headers, 'content-type': 'text/plain' } },
      { ...delivery, body: 'x'.repeat(6 * 1024 * 1024) },
    ];
    for (const refused of refusals) {
      const since = capturedLogLines.length;
      const answer = await postGithub(t.url, refused);
      const code = answer.body!.error as string;
      expect(answer.status).toBeGreaterThanOrEqual(400);
      const accessLine = await waitFor(`the access log line of a ${answer.status} ${code}`, () =>
        logLinesSince(since).find((line) => line.msg === 'request completed'),
      );
      expect(accessLine).toMatchObject({ level: 40, refusal: code, res: { statusCode: answer.status } });
    }
  });

  it('admin errors share one shape and say each thing once', async () => {
    const unknown = '01a20c5a-f27f-74c0-a9bd-52c51824e3a9';
    const answers = [
      await admin(t.url, `/admin/events/${unknown}`),
      await admin(t.url, `/admin/events/${unknown}/replay`, { method: 'POST', body: {} }),
      await admin(t.url, `/admin/actions/${unknown}/approve`, { method: 'POST' }),
      await admin(t.url, `/admin/actions/${unknown}/reject`, { method: 'POST', body: { reason: 'no' } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ statusCode: 404, error: 'not_found', message: expect.stringMatching(/^no (event|action) with id 01a20c5a-/) });
    }

    const badLimit = await admin(t.url, '/admin/audit?limit=x');
    expect(badLimit.body).toEqual({ statusCode: 400, error: 'invalid_parameter', parameters: ['limit'], message: ['limit must be an integer from 1 to 500'] });
    const noReason = await admin(t.url, `/admin/actions/${unknown}/reject`, { method: 'POST', body: {} });
    expect(noReason.body.message).toEqual(['reason must be a string of 1 to 1000 characters']);
  });
});

describe('what an operator sees of an event retried after a rate limit', () => {
  let apis: PrReviewApp;

  beforeAll(async () => {
    // A backoff long enough to read the event while it is FAILED, waiting for its retry.
    apis = await startPrReviewApp({ ANTHROPIC_API_KEY: 'sk-ant-operator-view-key', JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '4000' });
  });
  afterAll(async () => {
    // The event is still FAILED: left in the ledger, the next apps' outbox relay would run it again.
    await apis?.reset();
    await apis?.close();
  });

  it('a FAILED event does not keep the status reason of the rate limit it waited out before', async () => {
    const rateLimited = { ...apiError(429), headers: { 'retry-after-ms': '5' } };
    apis.anthropic.enqueue(rateLimited, rateLimited, rateLimited, apiError(500), apiError(500), apiError(500));
    apis.anthropic.fallback = () => endTurn(JSON.stringify(REVIEW));
    const id = await deliver(apis.t, 'pull_request', githubPullRequest('opened'));

    const failed = await settled(apis.t, id, ['FAILED']);
    expect(failed.lastError).toContain('anthropic: HTTP 500');
    // It failed on a server error; "rate limited upstream: the queue waits 5 ms" is no longer true.
    expect(failed.statusReason).toBeNull();
  });
});

/** A TCP server standing in for an API that accepts connections and then never answers, or drops them. */
class SilentServer {
  mode: 'hang' | 'drop' = 'hang';
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<SilentServer> {
    let silent: SilentServer | undefined;
    const server = createServer((socket) => {
      if (silent!.mode === 'drop') return void socket.destroy();
      silent!.sockets.add(socket);
      socket.on('close', () => silent!.sockets.delete(socket));
      socket.resume();
    });
    silent = new SilentServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return silent;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A local URL nothing listens on. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('what an operator sees when an upstream never answers', () => {
  const apps: TestApp[] = [];
  let github: FakeGithubApi;
  let silentGithub: SilentServer;

  beforeAll(async () => {
    github = await FakeGithubApi.start();
    silentGithub = await SilentServer.start();
  });
  beforeEach(async () => {
    if (apps[0]) await resetLedger(apps[0].prisma);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await github?.close();
    await silentGithub?.close();
  });

  async function app(env: Record<string, string>): Promise<TestApp> {
    const started = await startTestApp({ ANTHROPIC_API_KEY: 'sk-ant-unreachable-key', GITHUB_TOKEN: 'ghp_unreachable0123456789', JOB_ATTEMPTS: '1', ...env });
    apps.push(started);
    return started;
  }

  it('Anthropic unreachable: the ledger names Anthropic and the cause', async () => {
    const t = await app({ ANTHROPIC_BASE_URL: await refusingUrl(), GITHUB_API_URL: github.url });
    const id = await deliver(t, 'pull_request', githubPullRequest('opened'));
    const event = await settled(t, id);

    expect(event.status).toBe('DEAD');
    expect(event.lastError).toBe('anthropic: Connection error: fetch failed (ECONNREFUSED)');
    const [run] = await t.prisma.agentRun.findMany({ where: { eventId: id } });
    expect(run).toMatchObject({ status: 'FAILED', error: event.lastError });
  });

  it('GitHub dropping the connection is not reported as an HTTP status it never sent', async () => {
    silentGithub.mode = 'drop';
    const t = await app({ GITHUB_API_URL: silentGithub.url });
    const id = await deliver(t, 'pull_request', githubPullRequest('opened'));
    const event = await settled(t, id);

    expect(event.status).toBe('DEAD');
    expect(event.lastError).toMatch(/^github: GET diff of Codertocat\/Hello-World#2: request failed: fetch failed \(.+\)$/);
    expect(event.lastError).not.toContain('HTTP');
  });

  it('GitHub accepting the connection and never answering fails the attempt after CONNECTOR_TIMEOUT_MS instead of holding it forever', async () => {
    silentGithub.mode = 'hang';
    const t = await app({ GITHUB_API_URL: silentGithub.url, CONNECTOR_TIMEOUT_MS: '1000' });
    const id = await deliver(t, 'pull_request', githubPullRequest('opened'));
    const event = await settled(t, id, ['DEAD', 'FAILED']);

    expect(event.lastError).toBe('github: GET diff of Codertocat/Hello-World#2: request failed: no answer within 1000 ms');
  });

  it('Linear and HubSpot never answering fail the action after CONNECTOR_TIMEOUT_MS, as a transient error', async () => {
    silentGithub.mode = 'hang';
    const timeout = { CONNECTOR_TIMEOUT_MS: '1000' };
    const linear = connectorFromEnv(LinearConnector, LinearConnectorConfig, { ...timeout, LINEAR_API_KEY: 'lin_api_silent0123456789', LINEAR_TEAM_ID: 'team', LINEAR_API_URL: `${silentGithub.url}/graphql` });
    const hubspot = connectorFromEnv(HubSpotConnector, HubSpotConnectorConfig, { ...timeout, HUBSPOT_TOKEN: 'pat-na1-silent-0123456789', HUBSPOT_API_URL: silentGithub.url });
    const action = { eventId: 'e', idempotencyKey: 'e:tool:digest', retried: false };
    const [linearError, hubspotError] = await Promise.all([
      rejectionOf(linear.createIssue({ title: 'x' }, action.idempotencyKey)),
      rejectionOf(hubspot.createDeal({ name: 'x', amount: 1, stage: 'appointmentscheduled', pipeline: 'default' }, action)),
    ]);
    expect(linearError.message).toBe('linear: request failed: no answer within 1000 ms');
    // A process's first deal create checks the portal's action-key property first: that is the call left unanswered.
    expect(hubspotError.message).toBe('hubspot: deal property check failed: no answer within 1000 ms');
    expect([linearError, hubspotError].map((err) => err instanceof PermanentError)).toEqual([false, false]);
  });
});
