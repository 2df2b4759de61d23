import { sign } from '@octokit/webhooks-methods';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { DeploymentDelivery } from './deployment-deliveries.js';

const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

/** GitHub mode's test secret (DEPLOYMENTS_GITHUB_WEBHOOK_SECRET). */
export const TEST_DEPLOY_GITHUB_SECRET = 'deployments-github-mode-test-secret';

interface GithubDeploymentPayload {
  action: string;
  deployment: { id: number; sha: string; ref: string; environment: string; original_environment: string; payload: unknown };
  deployment_status?: { state: string; environment: string; environment_url?: string };
  repository: { name: string; full_name: string };
}

/** GitHub's own example of `event` (@octokit/webhooks-examples: payloads captured from GitHub), a fresh copy. */
export function githubDeploymentExample(event: 'deployment' | 'deployment_status'): GithubDeploymentPayload {
  const example = definitions.find((d) => d.name === event)?.examples[0];
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${event}`);
  return structuredClone(example) as unknown as GithubDeploymentPayload;
}

/**
 * A `deployment_status` payload (GitHub's example, repository Codertocat/Hello-World) with a fresh
 * deployment id and commit unless given: `state` (success: the deployment is live), `environment`,
 * `environmentUrl`, and the deployment's free-form `payload`.
 */
export function githubDeploymentStatus(options: { state?: string; environment?: string; environmentUrl?: string; id?: number; sha?: string; payload?: unknown } = {}) {
  const event = githubDeploymentExample('deployment_status');
  const environment = options.environment ?? 'production';
  event.deployment.id = options.id ?? randomInt(1, 2 ** 40);
  event.deployment.sha = options.sha ?? randomBytes(20).toString('hex');
  event.deployment.environment = environment;
  event.deployment.original_environment = environment;
  event.deployment.payload = options.payload ?? {};
  event.deployment_status!.state = options.state ?? 'success';
  event.deployment_status!.environment = environment;
  if (options.environmentUrl !== undefined) event.deployment_status!.environment_url = options.environmentUrl;
  return event;
}

/** Signs a delivery as GitHub does (@octokit/webhooks-methods' sign): pretty JSON with a trailing newline, HMAC-SHA256 in X-Hub-Signature-256. */
export async function githubDeploymentDelivery(
  event: string,
  payload: unknown,
  options: { secret?: string; deliveryId?: string } = {},
): Promise<DeploymentDelivery> {
  const body = `${JSON.stringify(payload, null, 2)}\n`;
  const deliveryId = options.deliveryId ?? randomUUID();
  return {
    body,
    deliveryId,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '292430182',
      'x-hub-signature-256': await sign(options.secret ?? TEST_DEPLOY_GITHUB_SECRET, body),
    },
  };
}
