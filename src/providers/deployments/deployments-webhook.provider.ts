import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, InvalidDeliveryError, StandardWebhooksVerifier, WebhookProviderDefinition } from '../../core/index.js';
import { anyEventSchema, deploymentEventSchema } from './deployment-payload.schema.js';
import { DeploymentsConfig } from './deployments.config.js';

export const DEPLOYMENTS = 'deployments';
export const DEPLOYMENT_CREATED = 'deployment.created';

/** CI/CD deployment events signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). */
@Injectable()
@WebhookProviderDefinition()
export class DeploymentsWebhookProvider implements WebhookProviderDefinition {
  readonly name = DEPLOYMENTS;
  readonly secretVariable = 'DEPLOYMENTS_WEBHOOK_SECRET';
  readonly storedHeaders = ['webhook-id', 'webhook-timestamp', 'user-agent', 'content-type'] as const;
  readonly verifier: StandardWebhooksVerifier;

  constructor(@Inject(DeploymentsConfig) config: DeploymentsConfig) {
    this.verifier = new StandardWebhooksVerifier(secretList(config.DEPLOYMENTS_WEBHOOK_SECRET));
  }

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    const deliveryId = typeof headers['webhook-id'] === 'string' ? headers['webhook-id'].trim() : '';
    if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the webhook-id header is missing');
    const envelope = anyEventSchema.safeParse(payload);
    if (!envelope.success) throw new InvalidDeliveryError('invalid_payload', 'a deployment event must be a JSON object with a "type"');
    if (envelope.data.type !== DEPLOYMENT_CREATED) {
      return { deliveryId, eventType: envelope.data.type, subject: null, ignoreReason: `${envelope.data.type}: only ${DEPLOYMENT_CREATED} is watched` };
    }
    const parsed = deploymentEventSchema.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
      throw new InvalidDeliveryError('invalid_payload', problems.join('; '));
    }
    const { service, environment } = parsed.data.data;
    return { deliveryId, eventType: DEPLOYMENT_CREATED, subject: `${service}/${environment}` };
  }
}
