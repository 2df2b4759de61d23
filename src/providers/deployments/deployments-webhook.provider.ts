import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, InvalidDeliveryError, WebhookProviderDefinition } from '../../core/index.js';
import { anyEventSchema, deploymentEventSchema } from './deployment-payload.schema.js';
import { DeploymentDeliveryVerifier, isGithubDelivery } from './deployment-delivery.verifier.js';
import { DeploymentsConfig } from './deployments.config.js';
import { githubDeployment, githubDeploymentStateSchema, githubDeploymentStatusSchema } from './github-deployment-status.schema.js';

export const DEPLOYMENTS = 'deployments';
export const DEPLOYMENT_CREATED = 'deployment.created';
/** GitHub mode: a deployment GitHub reports live (deployment_status, state success). Prefixed: GitHub's own `deployment.created` is another thing. */
export const GITHUB_DEPLOYMENT_LIVE = 'github.deployment_status.success';

/**
 * CI/CD deployment events signed with Standard Webhooks (webhook-id, webhook-timestamp,
 * webhook-signature), and in GitHub mode GitHub's deployment events (X-Hub-Signature-256,
 * X-GitHub-Delivery, X-GitHub-Event).
 */
@Injectable()
@WebhookProviderDefinition()
export class DeploymentsWebhookProvider implements WebhookProviderDefinition {
  readonly name = DEPLOYMENTS;
  readonly secretVariable = 'DEPLOYMENTS_WEBHOOK_SECRET or DEPLOYMENTS_GITHUB_WEBHOOK_SECRET';
  readonly storedHeaders = ['webhook-id', 'webhook-timestamp', 'x-github-event', 'x-github-delivery', 'x-github-hook-id', 'user-agent', 'content-type'] as const;
  readonly verifier: DeploymentDeliveryVerifier;

  constructor(@Inject(DeploymentsConfig) config: DeploymentsConfig) {
    this.verifier = new DeploymentDeliveryVerifier(secretList(config.DEPLOYMENTS_WEBHOOK_SECRET), secretList(config.DEPLOYMENTS_GITHUB_WEBHOOK_SECRET));
  }

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    if (isGithubDelivery(headers)) return describeGithub(payload, headers);
    const deliveryId = singleHeader(headers, 'webhook-id');
    if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the webhook-id header is missing');
    const envelope = anyEventSchema.safeParse(payload);
    if (!envelope.success) throw new InvalidDeliveryError('invalid_payload', 'a deployment event must be a JSON object with a "type"');
    if (envelope.data.type !== DEPLOYMENT_CREATED) {
      return { deliveryId, eventType: envelope.data.type, subject: null, ignoreReason: `${envelope.data.type}: only ${DEPLOYMENT_CREATED} is watched` };
    }
    const parsed = deploymentEventSchema.safeParse(payload);
    if (!parsed.success) throw invalidPayload(parsed.error);
    const { service, environment } = parsed.data.data;
    return { deliveryId, eventType: DEPLOYMENT_CREATED, subject: `${service}/${environment}` };
  }
}

/**
 * GitHub mode. A deployment is watched once it is live: its `deployment_status` with state
 * `success`. The `deployment` event itself (sent when the deployment is created, before anything
 * runs) and every other state are recorded IGNORED, with the reason.
 */
function describeGithub(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
  const event = singleHeader(headers, 'x-github-event');
  const deliveryId = singleHeader(headers, 'x-github-delivery');
  if (!event) throw new InvalidDeliveryError('missing_event_type', 'the X-GitHub-Event header is missing');
  if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the X-GitHub-Delivery header is missing');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new InvalidDeliveryError('invalid_payload', 'a GitHub payload must be a JSON object');
  const action = typeof (payload as { action?: unknown }).action === 'string' ? (payload as { action: string }).action : null;
  if (event !== 'deployment_status') {
    const eventType = `github.${event}${action ? `.${action}` : ''}`;
    const ignoreReason =
      event === 'deployment'
        ? 'a GitHub deployment is watched once it is live: on its deployment_status with state success, not when it is created'
        : event === 'ping'
          ? 'ping: GitHub checking that the hook is reachable'
          : `${event}: GitHub mode watches deployment_status events only`;
    return { deliveryId, eventType, subject: null, ignoreReason };
  }
  const status = githubDeploymentStateSchema.safeParse(payload);
  if (!status.success) throw invalidPayload(status.error);
  const state = status.data.deployment_status.state;
  if (state !== 'success') {
    return { deliveryId, eventType: `github.deployment_status.${state}`, subject: null, ignoreReason: `deployment_status ${state}: only a deployment GitHub reports live (state success) is watched` };
  }
  const parsed = githubDeploymentStatusSchema.safeParse(payload);
  if (!parsed.success) throw invalidPayload(parsed.error);
  const deployment = githubDeployment(parsed.data);
  return { deliveryId, eventType: GITHUB_DEPLOYMENT_LIVE, subject: `${deployment.service}/${deployment.environment}` };
}

function invalidPayload(error: z.ZodError): InvalidDeliveryError {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
  return new InvalidDeliveryError('invalid_payload', problems.join('; '));
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
