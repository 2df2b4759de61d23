import { sign } from '@octokit/webhooks-methods';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn, type FakeAnthropicReply } from '../../../test/support/fake-anthropic.js';
import { TEST_GITHUB_SECRET } from '../../../test/support/test-app.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { postSecurity, secretScanningAlert, securityDelivery } from './testing/security-deliveries.js';
import { startSecurityApp, type SecurityApp } from './testing/security-app.js';

const BACKLOG = 500;
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>;
const PULL_REQUEST = examples.find((d) => d.name === 'pull_request')!.examples.find((e) => e.action === 'opened')!;

/** A pull_request.opened delivery with a head commit of its own, signed as GitHub signs (the GitHub provider's queue). */
async function pullRequestDelivery() {
  const payload = structuredClone(PULL_REQUEST);
  payload.pull_request.head.sha = randomBytes(20).toString('hex');
  const body = `${JSON.stringify(payload, null, 2)}\n`;
  const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(TEST_GITHUB_SECRET, body) };
  return { body, headers };
}

async function postGithub(url: string, delivery: { body: string; headers: Record<string, string> }) {
  const response = await fetch(`${url}/webhooks/github`, { method: 'POST', ...delivery, signal: AbortSignal.timeout(15_000) });
  await response.text();
  return response;
}
const ASSESSMENT = { severity: 'high', summary: 'An AWS key leaked.', next_steps: [] };
/** Anthropic's answer to the PR reviews: rate limited, retry in 4 s (the SDK waits that twice, then the queue waits it; short, so the app can close). */
const RATE_LIMITED: FakeAnthropicReply = {
  status: 429,
  body: { type: 'error', error: { type: 'rate_limit_error', message: 'fake rate_limit_error' } },
  headers: { 'retry-after': '4' },
};

describe('Security provider: a leaked key is handled first, whatever waits elsewhere', () => {
  let s: SecurityApp;

  beforeAll(async () => {
    // A worker limiter on every queue (at most 20 job starts per minute per provider queue), as in production.
    s = await startSecurityApp({ WORKER_RATE_LIMIT_MAX: '20', WORKER_RATE_LIMIT_DURATION_MS: '60000', JOB_ATTEMPTS: '3' });
  });
  afterAll(() => s?.close());

  it(`with ${BACKLOG} GitHub events queued and the model rate limiting their reviews, a security alert is answered at once`, async () => {
    s.anthropic.fallback = (request) =>
      JSON.stringify(request.body.system ?? '').includes('reviewing a GitHub pull request') ? RATE_LIMITED : endTurn(JSON.stringify(ASSESSMENT));
    s.github.secretScanningAlerts.set('octo-org/payments-api#42', { number: 42, secret_type: 'aws_access_key_id', secret: 'AKIAPRIORITYLEAKED01', state: 'open', resolution: null });

    // The backlog: 500 pull request deliveries, acknowledged and queued on GitHub's queue.
    const deliveries = await Promise.all(Array.from({ length: BACKLOG }, () => pullRequestDelivery()));
    for (let i = 0; i < deliveries.length; i += 25) {
      const answers = await Promise.all(deliveries.slice(i, i + 25).map((d) => postGithub(s.t.url, d)));
      expect(answers.every((a) => a.status === 202)).toBe(true);
    }
    // The model is rate limiting the reviews (its SDK backing off, then the queue waiting retry-after): GitHub's queue is stuck.
    await waitFor('the model to rate limit reviews', () => (s.anthropic.requests.length >= 3 ? true : null), 40_000);

    const started = Date.now();
    const response = await postSecurity(s.t.url, await securityDelivery(secretScanningAlert('created')));
    expect(response.status).toBe(202);
    const event = await eventSettled(s.t.prisma, response.body!.id as string);
    const tookMs = Date.now() - started;

    expect(event.status).toBe('SUCCEEDED');
    expect(await s.t.prisma.agentAction.count({ where: { eventId: event.id, tool: 'create_linear_issue', status: 'EXECUTED' } })).toBe(1);
    // Handled while the backlog stands: no review done, nearly all of them still waiting.
    expect(await s.t.prisma.webhookEvent.count({ where: { provider: 'github', status: 'SUCCEEDED' } })).toBe(0);
    expect(await s.t.prisma.webhookEvent.count({ where: { provider: 'github', status: { in: ['RECEIVED', 'QUEUED', 'PROCESSING'] } } })).toBe(BACKLOG);
    // Well within the minute of GitHub's limiter, which its backlog has used up.
    expect(tookMs).toBeLessThan(30_000);
  }, 120_000);
});
