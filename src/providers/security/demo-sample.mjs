// The delivery `npm run demo` sends to /webhooks/security (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A `secret_scanning_alert` with action `resolved` and no secret in it: recorded and IGNORED (only
// created and reopened alerts get a response), so nothing is revoked, rotated, ticketed or announced.
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'SECURITY_WEBHOOK_SECRET';

/** An alert signed as GitHub signs: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>. */
export function demoDelivery(secret) {
  const body = `${JSON.stringify(
    {
      action: 'resolved',
      alert: {
        number: 7,
        created_at: '2026-12-01T09:00:00Z',
        updated_at: '2026-12-01T10:00:00Z',
        url: 'https://api.github.com/repos/octo-org/hello-world/secret-scanning/alerts/7',
        html_url: 'https://github.com/octo-org/hello-world/security/secret-scanning/7',
        state: 'resolved',
        resolution: 'revoked',
        resolved_at: '2026-12-01T10:00:00Z',
        resolved_by: { login: 'octocat', id: 583231, type: 'User' },
        secret_type: 'aws_access_key_id',
        secret_type_display_name: 'Amazon AWS Access Key ID',
        validity: 'inactive',
      },
      repository: { id: 17273051, name: 'hello-world', full_name: 'octo-org/hello-world', private: false, owner: { login: 'octo-org', id: 21031067, type: 'Organization' } },
      organization: { login: 'octo-org', id: 21031067 },
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
      'x-github-event': 'secret_scanning_alert',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
}
