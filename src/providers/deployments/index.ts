import { defineWebhookProvider, QueueModule } from '../../core/index.js';
import { DeployWatchProcessor } from './deploy-watch.processor.js';
import { DeploymentRollbackAgent } from './deployment-rollback.agent.js';
import { DeploymentWatchHandler } from './deployment-watch.handler.js';
import { DEPLOYMENTS, DeploymentsWebhookProvider } from './deployments-webhook.provider.js';
import { DeploymentsConfig } from './deployments.config.js';
import { PrometheusClient } from './prometheus-client.js';
import { DEPLOY_WATCH_QUEUE, ReleaseWatch } from './release-watch.js';
import { ReleaseWatchPlan } from './release-watch-plan.js';
import { SmokeChecker } from './smoke-checker.js';

/** CI/CD deployment events (Standard Webhooks, or GitHub's deployment_status in GitHub mode): every deployment watched, and rolled back once when it fails. */
export const deploymentsProvider = defineWebhookProvider({
  name: DEPLOYMENTS,
  definition: DeploymentsWebhookProvider,
  handlers: [DeploymentWatchHandler],
  providers: [DeploymentRollbackAgent, ReleaseWatch, ReleaseWatchPlan, SmokeChecker, PrometheusClient],
  workers: [DeployWatchProcessor],
  imports: [QueueModule.forQueue(DEPLOY_WATCH_QUEUE)],
  loggedHeaders: ['webhook-id', 'x-github-delivery', 'x-github-event'],
  settings: [DeploymentsConfig],
});
