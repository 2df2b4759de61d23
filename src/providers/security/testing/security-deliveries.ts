import { sign } from '@octokit/webhooks-methods';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

export const TEST_SECURITY_SECRET = 'test-security-webhook-secret-do-not-log';

const CREATED = JSON.parse(readFileSync(new URL('../fixtures/secret_scanning_alert.created.json', import.meta.url), 'utf8')) as SecretScanningAlertFixture;

export interface SecretScanningAlertFixture {
  action: string;
  alert: { number: number; secret_type: string; state: string; resolution: string | null; [key: string]: unknown };
  repository: { full_name: string; name: string; owner: { login: string }; [key: string]: unknown };
  [key: string]: unknown;
}

/** A `secret_scanning_alert` payload (fixtures/secret_scanning_alert.created.json, GitHub's documented shape) with `action` and overrides. */
export function secretScanningAlert(action: string, alert: Partial<SecretScanningAlertFixture['alert']> = {}): SecretScanningAlertFixture {
  const payload = structuredClone(CREATED);
  payload.action = action;
  Object.assign(payload.alert, alert);
  if (action === 'resolved') Object.assign(payload.alert, { state: 'resolved', resolution: 'revoked', resolved_at: '2026-12-07T16:00:00Z' });
  return payload;
}

export interface SecurityDelivery {
  body: string;
  headers: Record<string, string>;
  deliveryId: string;
}

/** Signs a delivery as GitHub does (@octokit/webhooks-methods `sign`: sha256=<hex HMAC of the body>). */
export async function securityDelivery(payload: unknown, options: { secret?: string; deliveryId?: string; event?: string } = {}): Promise<SecurityDelivery> {
  const body = `${JSON.stringify(payload, null, 2)}\n`;
  const deliveryId = options.deliveryId ?? randomUUID();
  return {
    body,
    deliveryId,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': options.event ?? 'secret_scanning_alert',
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '392430183',
      'x-hub-signature-256': await sign(options.secret ?? TEST_SECURITY_SECRET, body),
    },
  };
}

export function postSecurity(baseUrl: string, delivery: Pick<SecurityDelivery, 'body' | 'headers'>): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/security', delivery);
}
