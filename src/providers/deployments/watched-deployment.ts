import type { WebhookEvent } from '../../generated/prisma/client.js';
import type { DeploymentEvent } from './deployment-payload.schema.js';
import { GITHUB_DEPLOYMENT_LIVE } from './deployments-webhook.provider.js';
import { githubDeployment, githubDeploymentStatusSchema, type WatchedDeployment } from './github-deployment-status.schema.js';

export type { WatchedDeployment } from './github-deployment-status.schema.js';

/**
 * The deployment a recorded event announces, whichever way it came in: a `deployment.created`
 * (Standard Webhooks) carries it as `data`; a GitHub `deployment_status` is mapped (its previous
 * version may be unknown: null). The payload was validated when it was received.
 */
export function deploymentOf(event: Pick<WebhookEvent, 'eventType' | 'payload'>): WatchedDeployment {
  if (event.eventType === GITHUB_DEPLOYMENT_LIVE) return githubDeployment(githubDeploymentStatusSchema.parse(event.payload));
  return (event.payload as unknown as DeploymentEvent).data;
}
