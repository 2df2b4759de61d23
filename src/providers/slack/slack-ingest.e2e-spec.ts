import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSettled } from '../../../test/support/event-settled.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { messageTs, postSlack, slackDelivery, slackEvent, slackMessage, TEST_SLACK_APP_ID, TEST_SLACK_BOT_ID, TEST_SLACK_SIGNING_SECRET } from './testing/slack-deliveries.js';

const OLD_SECRET = 'old0signing0secret0000000000beef';
const CHALLENGE = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';

describe('Slack Events API: receiving (POST /webhooks/slack)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Agents off: what is checked here is what the ledger records at ingest.
    t = await startTestApp({ SLACK_SIGNING_SECRET: `${TEST_SLACK_SIGNING_SECRET},${OLD_SECRET}` });
  });
  afterAll(() => t?.close());
  beforeEach(() => resetLedger(t.prisma));

  const count = () => t.prisma.webhookEvent.count({ where: { provider: 'slack' } });

  it('answers a verified url_verification with its challenge, and records nothing', async () => {
    const response = await postSlack(t.url, slackDelivery({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: CHALLENGE, type: 'url_verification' }));
    expect(response.status).toBe(200);
    expect(response.text).toBe(CHALLENGE);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await count()).toBe(0);
  });

  it('refuses an unsigned or forged url_verification (no challenge leaks)', async () => {
    const delivery = slackDelivery({ challenge: CHALLENGE, type: 'url_verification' }, { secret: 'not-the-secret' });
    const response = await postSlack(t.url, delivery);
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(CHALLENGE);
  });

  it('answers a signed ssl_check with 200 and records nothing', async () => {
    const response = await postSlack(t.url, slackDelivery(null, { body: 'ssl_check=1&token=XXYYZZ', contentType: 'application/x-www-form-urlencoded' }));
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(await count()).toBe(0);
  });

  it('refuses stale and future timestamps (more than 5 minutes either way), a tampered body and a missing signature', async () => {
    const payload = slackMessage('TODO: ship it');
    const now = Math.floor(Date.now() / 1000);
    const stale = await postSlack(t.url, slackDelivery(payload, { timestamp: now - 301 }));
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: 'timestamp_out_of_tolerance' });
    const future = await postSlack(t.url, slackDelivery(payload, { timestamp: now + 301 }));
    expect(future.status).toBe(401);
    expect(future.body).toMatchObject({ error: 'timestamp_out_of_tolerance' });

    const signed = slackDelivery(payload);
    const tampered = await postSlack(t.url, { ...signed, body: signed.body.replace('ship it', 'delete it') });
    expect(tampered.status).toBe(401);
    expect(tampered.body).toMatchObject({ error: 'signature_mismatch' });

    const { 'x-slack-signature': _dropped, ...unsigned } = signed.headers;
    expect((await postSlack(t.url, { ...signed, headers: unsigned })).status).toBe(401);
    expect(await count()).toBe(0);

    // Within the window, either way, it is accepted.
    expect((await postSlack(t.url, slackDelivery(payload, { timestamp: now - 290 }))).status).toBe(202);
  });

  it('accepts a delivery signed with the previous secret during a rotation', async () => {
    const response = await postSlack(t.url, slackDelivery(slackMessage('nothing to do'), { secret: OLD_SECRET }));
    expect(response.status).toBe(202);
  });

  it('records event_id as the delivery id and the channel as subject; a retry is a duplicate, its headers kept from the first', async () => {
    const payload = slackMessage('lunch?', { channel: 'C0RANDOM01' });
    const first = await postSlack(t.url, slackDelivery(payload));
    expect(first.status).toBe(202);
    const retry = await postSlack(t.url, slackDelivery(payload, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ id: first.body!.id, status: 'duplicate' });

    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: first.body!.id as string } });
    expect(row).toMatchObject({ provider: 'slack', deliveryId: payload.event_id, eventType: 'message', subject: 'C0RANDOM01', status: 'IGNORED' });
    expect(row.statusReason).toBe('no TODO keyword in the message');
    expect(await count()).toBe(1);

    // A first delivery that is itself a retry keeps Slack's retry headers.
    const retried = await postSlack(t.url, slackDelivery(slackMessage('hi'), { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } }));
    const retriedRow = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: retried.body!.id as string } });
    expect(retriedRow.headers).toMatchObject({ 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' });
    expect(JSON.stringify(retriedRow.headers)).not.toContain('v0=');
  });

  it('ignores, with the reason, edits, deletions, thread broadcasts, bot messages, our own messages and other event types', async () => {
    const ts = messageTs();
    const cases: Array<[unknown, string]> = [
      [slackEvent({ type: 'message', subtype: 'message_changed', channel: 'C1', ts: messageTs(), message: { type: 'message', user: 'U1', text: 'TODO: edited', ts } }), 'edited message'],
      [slackEvent({ type: 'message', subtype: 'message_deleted', channel: 'C1', ts: messageTs(), deleted_ts: ts }), 'deleted message'],
      [slackEvent({ type: 'message', subtype: 'thread_broadcast', channel: 'C1', user: 'U1', text: 'TODO: broadcast', ts: messageTs(), thread_ts: ts }), 'thread broadcast'],
      [slackEvent({ type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'B0OTHER001', text: 'TODO: from a bot', ts: messageTs() }), 'bot message'],
      [
        slackEvent({ type: 'message', channel: 'C1', bot_id: TEST_SLACK_BOT_ID, app_id: TEST_SLACK_APP_ID, text: 'Created ENG-1: TODO thing', ts: messageTs(), thread_ts: ts }),
        'self_caused: posted by this Slack app',
      ],
      [
        slackEvent({ type: 'message', channel: 'C1', user: 'U1', text: 'TODO x', ts: messageTs(), metadata: { event_type: 'hookwise_action', event_payload: { idempotency_key: 'k' } } }),
        'self_caused: the message carries a Hookwise action marker',
      ],
      [slackEvent({ type: 'reaction_added', user: 'U1', reaction: 'thumbsup', item: { type: 'message', channel: 'C1', ts } }), 'unhandled event type: reaction_added'],
    ];
    for (const [payload, reason] of cases) {
      const response = await postSlack(t.url, slackDelivery(payload));
      expect(response.status).toBe(202);
      const row = await eventSettled(t.prisma, response.body!.id as string);
      expect(row.status).toBe('IGNORED');
      expect(row.statusReason).toContain(reason);
    }
    expect(await t.prisma.agentRun.count()).toBe(0);
  });

  it('matches the keywords as whole words, case-insensitively', async () => {
    const outcomes: Record<string, string | null> = {};
    for (const text of ['todo: call the bank', 'please Follow  up with <@U0BOB00001>', 'Action item: renew the cert', 'action:fix the build', 'mastodon is down', 'TODOS are fun', 'a followup', 'transaction: ok']) {
      const response = await postSlack(t.url, slackDelivery(slackMessage(text)));
      const row = await eventSettled(t.prisma, response.body!.id as string);
      outcomes[text] = row.statusReason;
    }
    // With agents off, a message with a keyword reaches the agent's step and is skipped for that.
    for (const text of ['todo: call the bank', 'please Follow  up with <@U0BOB00001>', 'Action item: renew the cert', 'action:fix the build']) {
      expect(outcomes[text]).toMatch(/^agents are off/);
    }
    for (const text of ['mastodon is down', 'TODOS are fun', 'a followup', 'transaction: ok']) {
      expect(outcomes[text]).toBe('no TODO keyword in the message');
    }
  });

  it('refuses an event_callback without event_id', async () => {
    const { event_id: _omitted, ...payload } = slackMessage('TODO');
    const response = await postSlack(t.url, slackDelivery(payload));
    expect(response.status).toBe(400);
  });
});
