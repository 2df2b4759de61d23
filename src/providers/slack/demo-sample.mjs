// The delivery `npm run demo` sends to /webhooks/slack (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A channel message without a TODO keyword: recorded and IGNORED, so no Linear issue is made.
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'SLACK_SIGNING_SECRET';

/** An Events API callback signed as Slack signs: X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:ts:body">. */
export function demoDelivery(secret) {
  const ts = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: `EvDEMO${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    team_id: 'T0DEMO0001',
    api_app_id: 'A0DEMO0001',
    event_time: ts,
    event: { type: 'message', channel: 'C0DEMO0001', user: 'U0DEMO0001', text: 'Hello from the Hookwise demo', ts: `${ts}.000100`, channel_type: 'channel' },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
    },
  };
}
