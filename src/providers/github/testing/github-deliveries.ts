import { sign } from '@octokit/webhooks-methods';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { TEST_GITHUB_SECRET } from '../../../../test/support/test-app.js';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

const require = createRequire(import.meta.url);
interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown>>;
}
const definitions = require('@octokit/webhooks-examples') as WebhookDefinition[];

/** A real payload captured from GitHub (@octokit/webhooks-examples), e.g. githubExample('pull_request', 'opened'). */
export function githubExample(event: string, action?: string): Record<string, unknown> {
  const definition = definitions.find((d) => d.name === event);
  const example = definition?.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${event}${action ? `.${action}` : ''}`);
  return structuredClone(example);
}

/** A pull_request delivery payload (GitHub's example) with `action` and a head commit of its own (a fresh sha unless given). */
export function githubPullRequest(action = 'opened', headSha = randomBytes(20).toString('hex')) {
  const payload = githubExample('pull_request', 'opened') as {
    action: string;
    pull_request: { head: { sha: string }; body: string | null };
    repository: { full_name: string };
  };
  payload.action = action;
  payload.pull_request.head.sha = headSha;
  return payload;
}

export interface GithubDelivery {
  body: string;
  headers: Record<string, string>;
  deliveryId: string;
}

/** Signs a delivery as GitHub does: pretty JSON with a trailing newline, HMAC-SHA256 over those bytes. */
export async function githubDelivery(
  event: string,
  payload: unknown,
  options: { secret?: string; deliveryId?: string; body?: string } = {},
): Promise<GithubDelivery> {
  const body = options.body ?? `${JSON.stringify(payload, null, 2)}\n`;
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
      'x-hub-signature-256': await sign(options.secret ?? TEST_GITHUB_SECRET, body),
    },
  };
}

/** A signed issues.opened delivery whose body is exactly `bytes` long (padded). */
export async function githubDeliveryOfSize(bytes: number, options: { secret?: string } = {}): Promise<GithubDelivery> {
  const payload = { ...githubExample('issues', 'opened'), padding: '' };
  payload.padding = 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify(payload)));
  return githubDelivery('issues', payload, { ...options, body: JSON.stringify(payload) });
}

/** POSTs a delivery to /webhooks/github and returns the status and parsed body. */
export function postGithub(baseUrl: string, delivery: Pick<GithubDelivery, 'body' | 'headers'>): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/github', delivery);
}
