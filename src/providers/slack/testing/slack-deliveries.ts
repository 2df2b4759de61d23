import { createHmac, randomBytes } from 'node:crypto';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

export const TEST_SLACK_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEST_SLACK_APP_ID = 'A0HOOKWISE1';
export const TEST_SLACK_BOT_ID = 'B0HOOKWISE1';

export interface SlackDelivery {
  body: string;
  headers: Record<string, string>;
}

/** Signs as Slack does: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A signed delivery of `payload` (compact JSON, as Slack sends), signed now unless told otherwise. */
export function slackDelivery(
  payload: unknown,
  options: { secret?: string; timestamp?: number; body?: string; contentType?: string; headers?: Record<string, string> } = {},
): SlackDelivery {
  const body = options.body ?? JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.secret ?? TEST_SLACK_SIGNING_SECRET, timestamp, body),
      ...options.headers,
    },
  };
}

let seq = 0;
/** A fresh message ts (unique per call). */
export function messageTs(): string {
  seq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
}

/** An Events API `event_callback` envelope around `event`, with a fresh event_id unless given. */
export function slackEvent<E extends Record<string, unknown>>(event: E, eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`) {
  return {
    token: 'XXYYZZ',
    team_id: 'T0TEAM0001',
    api_app_id: TEST_SLACK_APP_ID,
    event: { event_ts: event.ts, ...event } as E & { event_ts: unknown },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEAM0001', user_id: 'U0BOTUSER1', is_bot: true }],
  };
}

/** A person's channel message. */
export function slackMessage(text: string, options: { channel?: string; user?: string; ts?: string; thread_ts?: string } = {}) {
  return slackEvent({
    type: 'message',
    channel: options.channel ?? 'C0GENERAL1',
    user: options.user ?? 'U0ALICE001',
    text,
    ts: options.ts ?? messageTs(),
    ...(options.thread_ts ? { thread_ts: options.thread_ts } : {}),
    channel_type: 'channel',
  });
}

/** POSTs a delivery to /webhooks/slack (or a sub-path) and returns the status, the text and the parsed body. */
export function postSlack(baseUrl: string, delivery: SlackDelivery, path = '/webhooks/slack'): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, path, delivery);
}
