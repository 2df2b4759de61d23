import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackConnectorConfig } from './slack-connector.config.js';
import { PostSlackMessageTool } from './post-slack-message.tool.js';
import { SlackConnector } from './slack.connector.js';
import { UpdateSlackMessageTool } from './update-slack-message.tool.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { FakeSlackApi } from './testing/fake-slack-api.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

const slackConnector = (env: Record<string, string> = {}) => connectorFromEnv(SlackConnector, SlackConnectorConfig, env);

const TOKEN = 'xoxb-1234-5678-s3cr3tbottoken';
const context = { eventId: 'evt_9', idempotencyKey: 'evt_9.post_slack_message.ab12' };

describe('post_slack_message (@slack/web-api → SLACK_API_URL)', () => {
  let slack: FakeSlackApi;
  let tool: PostSlackMessageTool;

  beforeAll(async () => {
    slack = await FakeSlackApi.start();
    tool = new PostSlackMessageTool(slackConnector({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.apiUrl }));
  });
  afterAll(() => slack.stop());
  beforeEach(() => slack.reset());

  it('calls chat.postMessage with the bot token, the message and the idempotency key as metadata', async () => {
    const result = await tool.execute({ channel: 'C0DEPLOYS', text: 'Deploy *v42* failed its smoke test' }, context);

    expect(result).toEqual({ channel: 'C0DEPLOYS', ts: '1700000000.000001', already_existed: false });
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/chat.postMessage');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const fields = FakeSlackApi.fields(request);
    expect(fields.channel).toBe('C0DEPLOYS');
    expect(fields.text).toBe('Deploy *v42* failed its smoke test');
    expect(fields.thread_ts).toBeUndefined();
    expect(JSON.parse(fields.metadata)).toEqual({
      event_type: 'hookwise_action',
      event_payload: { idempotency_key: 'evt_9.post_slack_message.ab12' },
    });
  });

  it('a retried post finds the message an earlier attempt posted (by its metadata) instead of posting it again', async () => {
    const first = await tool.execute({ channel: 'C0DEPLOYS', text: 'Rolled back web@v42.' }, context);
    const again = await tool.execute({ channel: 'C0DEPLOYS', text: 'Rolled back web@v42.' }, { ...context, retried: true });

    expect(again).toEqual({ channel: 'C0DEPLOYS', ts: first.ts, already_existed: true });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/conversations.history']);
    expect(FakeSlackApi.fields(slack.requests[1])).toMatchObject({ channel: 'C0DEPLOYS', include_all_metadata: 'true' });
  });

  it('a retried post looks in the thread it replies to, and posts once when no earlier message carries its key', async () => {
    const parent = await tool.execute({ channel: 'C0DEPLOYS', text: 'Deploy v42' }, { eventId: 'evt_0', idempotencyKey: 'other-action' });
    const reply = await tool.execute({ channel: 'C0DEPLOYS', text: 'Rolled back.', thread_ts: parent.ts }, { ...context, retried: true });

    expect(reply).toMatchObject({ thread_ts: parent.ts, already_existed: false });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/conversations.replies', '/api/chat.postMessage']);
  });

  it('posts anyway, and says so, when a retried post cannot read the channel (no channels:history scope)', async () => {
    slack.historyError = 'missing_scope';
    const result = await tool.execute({ channel: 'C0DEPLOYS', text: 'Rolled back.' }, { ...context, retried: true });

    expect(result).toMatchObject({ already_existed: false, duplicate_check: 'skipped: missing_scope' });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/conversations.history', '/api/chat.postMessage']);
  });

  it('replies in a thread when thread_ts is given', async () => {
    const result = await tool.execute({ channel: 'C0DEPLOYS', text: 'Rolled back.', thread_ts: '1700000000.000001' }, context);
    expect(result.thread_ts).toBe('1700000000.000001');
    expect(FakeSlackApi.fields(slack.requests[0]).thread_ts).toBe('1700000000.000001');
  });

  it('rejects bad arguments before any request', async () => {
    for (const args of [{ channel: '', text: 'x' }, { channel: 'C1', text: '' }, { channel: 'C1', text: 'x', thread_ts: 'yesterday' }, { text: 'x' }]) {
      await expect(tool.execute(args as never, context)).rejects.toBeInstanceOf(PermanentError);
    }
    expect(slack.requests).toHaveLength(0);
  });

  it('classifies Slack platform errors: channel_not_found permanent, internal_error transient', async () => {
    slack.answer({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    const permanent = await rejectionOf(tool.execute({ channel: 'C404', text: 'x' }, context));
    expect(permanent).toBeInstanceOf(PermanentError);
    expect(permanent.message).toBe('slack: chat.postMessage failed: channel_not_found');

    slack.answer({ status: 200, body: { ok: false, error: 'internal_error' } });
    const transient = await rejectionOf(tool.execute({ channel: 'C1', text: 'x' }, context));
    expect(transient).not.toBeInstanceOf(PermanentError);
    expect(transient.message).toBe('slack: chat.postMessage failed: internal_error');
  });

  it('classifies HTTP failures: 429 rate limited (wait retry-after), 503 transient (no client-side retry), 400 permanent', async () => {
    slack.answer({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    const limited = await rejectionOf(tool.execute({ channel: 'C1', text: 'x' }, context));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 30_000, message: expect.stringMatching(/rate limited, retry after 30s/) });
    expect(slack.requests).toHaveLength(1);

    slack.answer({ status: 503, body: 'upstream down' });
    const unavailable = await rejectionOf(tool.execute({ channel: 'C1', text: 'x' }, context));
    expect(unavailable).not.toBeInstanceOf(PermanentError);
    expect(unavailable.message).toBe('slack: HTTP 503 Service Unavailable');

    slack.answer({ status: 400, body: 'bad request' });
    expect(await rejectionOf(tool.execute({ channel: 'C1', text: 'x' }, context))).toBeInstanceOf(PermanentError);
    expect(slack.requests).toHaveLength(3);
  });

  it('never puts the bot token in an error, even when the server echoes it', async () => {
    slack.answer((req) => ({ status: 200, body: { ok: false, error: `invalid_auth ${String(req.headers.authorization)}` } }));
    const err = await rejectionOf(tool.execute({ channel: 'C1', text: 'x' }, context));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).toContain('[redacted]');
  });

  it('treats an unreachable API as transient', async () => {
    const down = new PostSlackMessageTool(slackConnector({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: `http://127.0.0.1:${await freePort()}/api/` }));
    const err = await rejectionOf(down.execute({ channel: 'C1', text: 'x' }, context));
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/^slack: request failed: .*ECONNREFUSED/);
    expect(err.message).not.toContain(TOKEN);
  });

  it('is unavailable without SLACK_BOT_TOKEN', () => {
    expect(new PostSlackMessageTool(slackConnector({})).unavailableReason()).toBe('SLACK_BOT_TOKEN is not set');
  });
});

describe('update_slack_message (chat.update → SLACK_API_URL)', () => {
  let slack: FakeSlackApi;
  let tool: UpdateSlackMessageTool;

  beforeAll(async () => {
    slack = await FakeSlackApi.start();
    tool = new UpdateSlackMessageTool(slackConnector({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.apiUrl }));
  });
  afterAll(() => slack.stop());
  beforeEach(() => slack.reset());

  it('replaces the text of the message at channel + ts, with no blocks field, and answers the message it updated', async () => {
    const result = await tool.execute({ channel: 'C0SECURITY', ts: '1700000000.000001', text: 'Revoked and rotated.' });

    expect(result).toEqual({ channel: 'C0SECURITY', ts: '1700000000.000001' });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.update']);
    expect(slack.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(FakeSlackApi.fields(slack.requests[0])).toEqual({ channel: 'C0SECURITY', ts: '1700000000.000001', text: 'Revoked and rotated.' });
    expect(slack.messages).toEqual([]);
  });

  it('rejects bad arguments before any request, and classifies message_not_found as permanent', async () => {
    for (const args of [{ channel: 'C1', ts: 'now', text: 'x' }, { channel: 'C1', ts: '1700000000.000001', text: '' }, { channel: 'C1', text: 'x' }]) {
      await expect(tool.execute(args as never)).rejects.toBeInstanceOf(PermanentError);
    }
    expect(slack.requests).toHaveLength(0);

    slack.answer({ status: 200, body: { ok: false, error: 'message_not_found' } });
    const err = await rejectionOf(tool.execute({ channel: 'C1', ts: '1700000000.000001', text: 'x' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toBe('slack: chat.update failed: message_not_found');
  });

  it('is unavailable without SLACK_BOT_TOKEN, and then sends nothing', async () => {
    const unconfigured = new UpdateSlackMessageTool(slackConnector({ SLACK_API_URL: slack.apiUrl }));
    expect(unconfigured.unavailableReason()).toBe('SLACK_BOT_TOKEN is not set');
    await expect(unconfigured.execute({ channel: 'C1', ts: '1700000000.000001', text: 'x' })).rejects.toBeInstanceOf(PermanentError);
    expect(slack.requests).toHaveLength(0);
  });
});
