// The delivery `npm run demo` sends to /webhooks/github (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A `ping`: recorded and IGNORED (GitHub checking that the hook is reachable), so nothing is reviewed.
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'GITHUB_WEBHOOK_SECRET';

/** A ping, signed as GitHub signs: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>. */
export function demoDelivery(secret) {
  const body = `${JSON.stringify(
    {
      zen: 'Design for failure.',
      hook_id: 292430182,
      hook: { type: 'Repository', id: 292430182, active: true, events: ['push', 'pull_request'], config: { content_type: 'json' } },
      repository: { id: 17273051, name: 'hello-world', full_name: 'octo-org/hello-world', private: false },
      sender: { login: 'octocat', id: 583231, type: 'User' },
    },
    null,
    2,
  )}\n`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/demo',
      'x-github-event': 'ping',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
}
