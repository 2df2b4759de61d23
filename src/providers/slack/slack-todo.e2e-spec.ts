import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn, FakeAnthropic, outputSchemaOf } from '../../../test/support/fake-anthropic.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { FakeLinearApi } from '../../connectors/linear/testing/fake-linear-api.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { postSlack, slackDelivery, slackEvent, slackMessage, TEST_SLACK_APP_ID, TEST_SLACK_BOT_ID, TEST_SLACK_SIGNING_SECRET } from './testing/slack-deliveries.js';

const LINEAR_KEY = 'lin_api_slacktodotestkey0000';
const TEAM = 'team-eng-0001';
const TODO = {
  title: 'Renew the TLS certificate of api.acme.dev',
  description: 'The certificate of api.acme.dev expires next week; Alice asked Bob to renew it.',
  assignee_mention: '<@U0BOB00001>',
  due_date: '2026-12-11',
  priority: 'high',
};

describe('Slack TODO → Linear issue + thread reply, exactly once', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let slack: FakeSlackApi;
  let linear: FakeLinearApi;

  beforeAll(async () => {
    anthropic = await FakeAnthropic.start();
    slack = await FakeSlackApi.start();
    linear = await FakeLinearApi.start(LINEAR_KEY);
    t = await startTestApp({
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      ANTHROPIC_API_KEY: 'sk-ant-test-slack-todo',
      ANTHROPIC_BASE_URL: anthropic.url,
      SLACK_BOT_TOKEN: 'xoxb-test-slack-todo',
      SLACK_API_URL: slack.apiUrl,
      LINEAR_API_KEY: LINEAR_KEY,
      LINEAR_API_URL: linear.apiUrl,
      LINEAR_TEAM_ID: TEAM,
      JOB_ATTEMPTS: '3',
    });
  });
  afterAll(async () => {
    await t?.close();
    await anthropic?.close();
    await slack?.stop();
    await linear?.stop();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    anthropic.reset();
    slack.reset();
    linear.reset();
    anthropic.fallback = () => endTurn(JSON.stringify(TODO));
  });

  async function deliver(payload: unknown, headers: Record<string, string> = {}) {
    const response = await postSlack(t.url, slackDelivery(payload, { headers }));
    expect([200, 202]).toContain(response.status);
    return response.body!.id as string;
  }

  it('opens one Linear issue from the agent’s structured answer and replies in the thread with its identifier and link', async () => {
    slack.userEmails.set('U0BOB00001', 'bob@acme.dev');
    linear.users.set('bob@acme.dev', 'linear-user-bob');
    const payload = slackMessage('TODO <@U0BOB00001> please renew the cert of api.acme.dev by Friday, it is urgent-ish', { channel: 'C0OPS00001' });
    const id = await deliver(payload);
    const event = await eventSettled(t.prisma, id);
    expect(event.status).toBe('SUCCEEDED');

    // The model was asked through structured outputs, the message inside a data block.
    expect(anthropic.requests).toHaveLength(1);
    const schema = outputSchemaOf(anthropic.requests[0])!;
    expect(Object.keys(schema.properties as object)).toEqual(['title', 'description', 'assignee_mention', 'due_date', 'priority']);
    expect(anthropic.requests[0].body.tools ?? []).toEqual([]);
    expect(anthropic.requests[0].body.messages[0].content).toMatch(/<untrusted_data name="message">[\s\S]*renew the cert[\s\S]*<\/untrusted_data>/);

    expect(linear.issues.size).toBe(1);
    const [issue] = [...linear.issues.values()];
    expect(issue).toMatchObject({ title: TODO.title, teamId: TEAM, priority: 2, dueDate: '2026-12-11', assigneeId: 'linear-user-bob' });
    expect(issue.description).toContain(TODO.description);
    expect(issue.description).toContain(`https://acme.slack.com/archives/C0OPS00001/p${payload.event.ts.replace('.', '')}`);

    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]).toMatchObject({ channel: 'C0OPS00001', thread_ts: payload.event.ts });
    expect(slack.messages[0].text).toContain(`<${issue.url}|${issue.identifier}>`);

    const actions = await t.prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.tool, a.status, a.idempotencyKey])).toEqual([
      ['create_linear_issue', 'EXECUTED', `slack-todo:C0OPS00001/${payload.event.ts}`],
      ['post_slack_message', 'EXECUTED', `slack-todo-reply:C0OPS00001/${payload.event.ts}`],
    ]);
  });

  it('leaves the issue unassigned when the mention is not in the message or has no Linear user', async () => {
    anthropic.fallback = () => endTurn(JSON.stringify({ ...TODO, assignee_mention: '<@U0EVE00001>' }));
    const id = await deliver(slackMessage('action item: renew the cert'));
    expect((await eventSettled(t.prisma, id)).status).toBe('SUCCEEDED');
    expect([...linear.issues.values()][0].assigneeId).toBeUndefined();
    expect(slack.requests.some((r) => r.path === '/api/users.info')).toBe(false);
  });

  it('one issue and one reply across a redelivery under a new event id, Slack retries and a replay', async () => {
    const payload = slackMessage('follow up with legal about the DPA');
    const id = await deliver(payload);
    await eventSettled(t.prisma, id);
    expect(await deliver(payload, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).toBe(id);

    // The same message delivered again under another event_id (Slack re-sent it, or a copy).
    const copy = await deliver({ ...payload, event_id: `${payload.event_id}X` });
    const copyEvent = await eventSettled(t.prisma, copy);
    expect(copyEvent.status).toBe('IGNORED');
    expect(copyEvent.statusReason).toContain('already has its Linear issue');

    const replay = await t.app.get(AgentReplayService).replay(id);
    expect(replay.outcome).toEqual({ status: 'succeeded' });

    expect(linear.issues.size).toBe(1);
    expect(slack.messages).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('one issue after a crash between Linear’s answer and our record: the retry finds the issue by its derived id', async () => {
    let failures = 0;
    linear.answer((req) => {
      const answer = linear.graphql(req);
      // Linear creates the issue, and the answer never reaches us (first time only).
      if (failures === 0 && /issueCreate/.test(req.body)) {
        failures += 1;
        return { status: 502, body: 'bad gateway' };
      }
      return answer;
    });
    const payload = slackMessage('TODO: rotate the staging database password');
    const id = await deliver(payload);
    const event = await eventSettled(t.prisma, id);
    expect(event.status).toBe('SUCCEEDED');

    expect(failures).toBe(1);
    expect(linear.issues.size).toBe(1);
    const creates = linear.requests.filter((r) => /issueCreate/.test(r.body));
    expect(creates).toHaveLength(2);
    expect(FakeLinearApi.operation(creates[1]).variables.input.id).toBe(FakeLinearApi.operation(creates[0]).variables.input.id);
    const action = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: id, tool: 'create_linear_issue' } });
    expect(action).toMatchObject({ status: 'EXECUTED', result: expect.objectContaining({ already_existed: true }) });
    // The model was asked once: the retry reused the stored arguments.
    expect(anthropic.requests).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
  });

  it('our own thread reply, delivered back to us, starts no second run', async () => {
    const payload = slackMessage('TODO: write the postmortem', { channel: 'C0INC00001' });
    const id = await deliver(payload);
    await eventSettled(t.prisma, id);
    const [reply] = slack.messages;

    // What Slack sends for the bot's reply: a message with our bot and app ids, and our metadata.
    const echoed = slackEvent({
      type: 'message',
      channel: reply.channel,
      text: reply.text,
      ts: reply.ts,
      thread_ts: reply.thread_ts,
      bot_id: TEST_SLACK_BOT_ID,
      app_id: TEST_SLACK_APP_ID,
      metadata: reply.metadata,
    });
    const echoId = await deliver(echoed);
    const echo = await eventSettled(t.prisma, echoId);
    expect(echo.status).toBe('IGNORED');
    expect(echo.statusReason).toMatch(/^self_caused/);

    // The same reply seen without our app id or marker (as a person's message): the action ledger knows its ts.
    const bare = slackEvent({ type: 'message', channel: reply.channel, user: 'U0BOTUSER1', text: `TODO ${reply.text}`, ts: reply.ts, thread_ts: reply.thread_ts });
    const bareEvent = await eventSettled(t.prisma, await deliver(bare));
    expect(bareEvent.status).toBe('IGNORED');
    expect(bareEvent.statusReason).toMatch(/^self_caused: posted by action .* \(post_slack_message/);

    expect(await t.prisma.agentRun.count()).toBe(1);
    expect(anthropic.requests).toHaveLength(1);
    expect(linear.issues.size).toBe(1);
    expect(slack.messages).toHaveLength(1);
    const actions = await t.prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => a.externalIds)).toEqual([[`linear:issue:${[...linear.issues.keys()][0]}`], [`slack:${reply.channel}:${reply.ts}`]]);
  });
});
