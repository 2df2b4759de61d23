// The delivery `npm run demo` sends to /webhooks/typeform (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A form response without an e-mail (no email answer, no hidden email field): recorded and IGNORED,
// so no lead is qualified, no HubSpot deal made and no Slack message posted.
import { createHmac, randomBytes } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'TYPEFORM_WEBHOOK_SECRET';

/** A response signed as Typeform signs: Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>. */
export function demoDelivery(secret) {
  const field = (id, type, ref) => ({ id, type, ref, title: `Question ${ref}` });
  const answers = [
    { type: 'text', text: 'Demo Company', field: field('JwWggjAKtOkA', 'short_text', 'company') },
    { type: 'choice', choice: { id: 'k9ABbK2mfbE4', label: '51-200', ref: 'size_51_200' }, field: field('k6TP9oLGgHjl', 'multiple_choice', 'team_size') },
  ];
  const now = new Date().toISOString();
  const body = JSON.stringify({
    event_id: `01DEMO${randomBytes(10).toString('hex').toUpperCase()}`,
    event_type: 'form_response',
    form_response: {
      form_id: 'lT4Z3j',
      token: randomBytes(16).toString('hex'),
      landed_at: now,
      submitted_at: now,
      hidden: { utm_source: 'hookwise-demo' },
      definition: { id: 'lT4Z3j', title: 'Talk to sales', fields: answers.map((a) => ({ ...a.field, properties: {} })) },
      answers,
    },
  });
  return {
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'Typeform Webhooks', 'typeform-signature': `sha256=${createHmac('sha256', secret).update(body).digest('base64')}` },
  };
}
