import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookQueueName } from '../../core/queue/queue-names.js';
import type { WebhookJobData } from '../../core/queue/webhook-job.js';
import { FakeHubSpotApi } from '../../connectors/hubspot/testing/fake-hubspot-api.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { endTurn, FakeAnthropic } from '../../../test/support/fake-anthropic.js';
import { startTestApp, startTestWorker, type TestApp } from '../../../test/support/test-app.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { startWorkerProcess, type WorkerProcess } from '../../../test/support/worker-process.js';
import { typeformProvider } from './index.js';
import { formResponse, postTypeform, TEST_TYPEFORM_SECRET, typeformDelivery } from './testing/typeform-deliveries.js';

const ANTHROPIC_KEY = 'sk-ant-test-typeform-killed-key';
const HUBSPOT_TOKEN = 'pat-na1-typeform-killed-token-0000';
const SLACK_TOKEN = 'xoxb-typeform-killed-token';
const VERDICT = { qualified: true, company_size: 'smb', icp_fit: 'medium', reason: 'Fits the profile.', outreach_angle: 'Hi Dana.' };
const NO_BACKGROUND_PASSES = String(3_600_000);

/**
 * A real worker process (src/main.ts, APP_ROLE=worker) killed with SIGKILL while HubSpot holds the
 * answer to a deal it has already created: the action is left EXECUTING with the deal made. The
 * sweep of another worker marks it FAILED (ACTION_EXECUTION_TIMEOUT_MS), and that worker runs the
 * job again, as BullMQ's stalled-job recovery would: the retried create finds the deal by its key.
 * HubSpot's search finds nothing during the whole test (its index trails writes): the retry reads the
 * deal by its unique action-key property, which sees it at once.
 */
describe('Typeform lead: a worker killed right after HubSpot created the deal', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let hubspot: FakeHubSpotApi;
  let slack: FakeSlackApi;
  let worker: WorkerProcess | null = null;
  let takeover: INestApplicationContext | null = null;
  let release: () => void = () => undefined;

  const fakesEnv = () => ({
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: anthropic.url,
    HUBSPOT_TOKEN,
    HUBSPOT_API_URL: hubspot.apiUrl,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    LEAD_ICP: 'B2B SaaS.',
    SALES_SLACK_CHANNEL: '#sales',
    OUTBOX_RELAY_INTERVAL_MS: NO_BACKGROUND_PASSES,
  });

  beforeAll(async () => {
    [anthropic, hubspot, slack] = await Promise.all([FakeAnthropic.start(), FakeHubSpotApi.start(HUBSPOT_TOKEN), FakeSlackApi.start()]);
    anthropic.fallback = () => endTurn(JSON.stringify(VERDICT));
    t = await startTestApp({ ...fakesEnv(), APP_ROLE: 'api', TYPEFORM_WEBHOOK_SECRET: TEST_TYPEFORM_SECRET, CONNECTOR_TIMEOUT_MS: '3000', ACTION_EXECUTION_TIMEOUT_MS: '3500' });
  });
  afterEach(async () => {
    await worker?.kill();
    worker = null;
    release();
    await takeover?.close();
    takeover = null;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([anthropic?.close(), hubspot?.stop(), slack?.stop()]);
  });

  it('leaves exactly one deal and one Slack message', { timeout: 60_000 }, async () => {
    // The takeover worker first (its start-up is over before anything happens), on queues of its own; its sweep runs every 200 ms.
    takeover = await startTestWorker({ ...t.config, QUEUE_PREFIX: `${t.config.QUEUE_PREFIX}-takeover`, OUTBOX_RELAY_INTERVAL_MS: 200 });
    hubspot.searchLagMs = Number.POSITIVE_INFINITY;
    hubspot.holdCreateAnswer = new Promise<void>((resolve) => (release = resolve));
    worker = await startWorkerProcess(t.config, fakesEnv());

    const response = await postTypeform(t.url, typeformDelivery(formResponse({ email: 'dana@acme.example', company: 'Acme', budget: 900 })));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;

    await waitFor('HubSpot to create the deal for the worker process', () => hubspot.deals.length === 1);
    const { applicationName } = worker;
    await worker.kill();
    worker = null;
    await waitFor('PostgreSQL to end the killed worker’s sessions', async () => {
      const rows = await t.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
      return rows[0].n === 0n;
    });
    hubspot.holdCreateAnswer = null;
    release();

    // Cut off mid-call: EXECUTING until the sweep takes it for interrupted.
    const swept = await waitFor('the sweep to mark the deal action FAILED', async () => {
      const action = await t.prisma.agentAction.findFirst({ where: { eventId: id, tool: 'create_hubspot_deal' } });
      return action?.status === 'FAILED' ? action : null;
    });
    expect(swept.error).toMatch(/^interrupted/);

    const queue = t.app.get<Queue<WebhookJobData>>(getQueueToken(webhookQueueName('typeform')), { strict: false });
    const job = await queue.getJob(id);
    expect(await takeover.get(typeformProvider.processor).process(job!)).toBe('succeeded');

    expect(hubspot.deals).toHaveLength(1);
    expect(hubspot.deals[0].properties.amount).toBe('900');
    expect(slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(1);
    const actions = await t.prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.tool, a.status])).toEqual([
      ['create_hubspot_deal', 'EXECUTED'],
      ['post_slack_message', 'EXECUTED'],
    ]);
    // The retried create found the deal the killed worker's call had made.
    expect(actions[0].result).toMatchObject({ id: hubspot.deals[0].id, already_existed: true });
    expect(actions[0].externalIds).toEqual([`hubspot:deal:${hubspot.deals[0].id}`]);
    const key = hubspot.deals[0].properties.hookwise_action_key;
    expect(hubspot.requests.filter((r) => r.path === `/crm/v3/objects/deals/${key}` && r.query.get('idProperty') === 'hookwise_action_key')).toHaveLength(1);
    expect(hubspot.requests.filter((r) => r.path.endsWith('/search') && r.path.includes('/deals'))).toEqual([]);
    expect(anthropic.requests).toHaveLength(1);
  });
});
