import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { DeploymentEvent } from '../deployment-payload.schema.js';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

/** Test secrets in Standard Webhooks form (whsec_ + base64 of random bytes). */
export const TEST_DEPLOY_SECRET = `whsec_${Buffer.from('deployments-test-secret-current!').toString('base64')}`;
export const TEST_DEPLOY_OLD_SECRET = `whsec_${Buffer.from('deployments-test-secret-previous').toString('base64')}`;

export interface DeploymentDelivery {
  body: string;
  headers: Record<string, string>;
  deliveryId: string;
}

/** A deployment.created event for `service`/`environment` with a fresh deployment id unless given. */
export function deploymentCreated(overrides: Partial<DeploymentEvent['data']> & { urls: string[] }): DeploymentEvent {
  return {
    type: 'deployment.created',
    timestamp: new Date().toISOString(),
    data: {
      deployment_id: `dep_${randomBytes(6).toString('hex')}`,
      service: 'web',
      environment: 'production',
      commit_sha: randomBytes(20).toString('hex'),
      version: 'v42',
      previous_version: 'v41',
      ...overrides,
    },
  };
}

/**
 * Signs a delivery with the `standardwebhooks` package, as a Standard Webhooks sender does.
 * `secrets`: one signature per secret, space-separated in webhook-signature (a rotation);
 * `timestamp`: the attempt's time (default now).
 */
export function deploymentDelivery(
  payload: unknown,
  options: { secrets?: string[]; timestamp?: Date; deliveryId?: string; extraSignatures?: string[] } = {},
): DeploymentDelivery {
  const body = JSON.stringify(payload);
  const deliveryId = options.deliveryId ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  const signatures = (options.secrets ?? [TEST_DEPLOY_SECRET]).map((secret) => new Webhook(secret).sign(deliveryId, timestamp, body));
  return {
    body,
    deliveryId,
    headers: {
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': [...(options.extraSignatures ?? []), ...signatures].join(' '),
    },
  };
}

/** POSTs a delivery to /webhooks/deployments. */
export function postDeployment(baseUrl: string, delivery: Pick<DeploymentDelivery, 'body' | 'headers'>): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/deployments', delivery);
}
