// The delivery `npm run demo` sends to /webhooks/deployments (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// A `deployment.started`: recorded and IGNORED (only deployment.created is watched), so no smoke
// check runs and nothing is rolled back.
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = 'DEPLOYMENTS_WEBHOOK_SECRET';

/**
 * An event signed as a Standard Webhooks sender signs: HMAC-SHA256 keyed by the base64 after
 * whsec_, over "id.timestamp.body", base64, in webhook-signature as v1,<signature>.
 */
export function demoDelivery(secret) {
  const id = `msg_demo_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: 'deployment.started', timestamp: new Date().toISOString(), data: { deployment_id: 'dep_demo', service: 'web', environment: 'staging' } });
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
  };
}
