import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { postDeployment } from './testing/deployment-deliveries.js';
import { githubDeploymentDelivery, githubDeploymentExample, githubDeploymentStatus, TEST_DEPLOY_GITHUB_SECRET } from './testing/github-deployment-deliveries.js';
import { startReleaseWatchApp, type ReleaseWatchApp } from './testing/release-watch-app.js';

describe('Deployments provider, GitHub mode: GitHub deployment_status events (X-Hub-Signature-256) start the release watch', () => {
  let w: ReleaseWatchApp;

  beforeAll(async () => {
    w = await startReleaseWatchApp({ DEPLOYMENTS_GITHUB_WEBHOOK_SECRET: `${TEST_DEPLOY_GITHUB_SECRET},an-older-github-secret` });
  });
  afterAll(() => w?.close());
  beforeEach(() => w.reset());
  afterEach(() => waitFor('every event to settle', async () => (await w.t.prisma.webhookEvent.count({ where: { status: { notIn: ['SUCCEEDED', 'IGNORED', 'DEAD'] } } })) === 0));

  /** A signed deployment_status success (the deployment is live) in `environment`, its environment_url the service under check. */
  async function live(options: Parameters<typeof githubDeploymentStatus>[0] = {}) {
    const payload = githubDeploymentStatus({ environmentUrl: w.service.url, ...options });
    const delivery = await githubDeploymentDelivery('deployment_status', payload);
    const response = await postDeployment(w.t.url, delivery);
    expect(response.status).toBe(202);
    return { id: response.body!.id as string, payload, delivery };
  }
  const watchEnded = (eventId: string) =>
    waitFor(`the watch of ${eventId} to end`, async () => {
      const watch = await w.t.prisma.deployWatch.findUnique({ where: { eventId } });
      return watch && watch.status !== 'WATCHING' ? watch : null;
    });
  const slackPosted = (count: number) => waitFor(`${count} Slack message(s)`, () => (w.slackTexts().length >= count ? w.slackTexts() : null));

  it('a signed deployment_status success starts one watch: healthy, no rollback, one success message; a redelivery (same X-GitHub-Delivery) is a duplicate', async () => {
    const { id, payload, delivery } = await live({ environment: 'staging' });
    const row = await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ provider: 'deployments', deliveryId: delivery.deliveryId, eventType: 'github.deployment_status.success', subject: 'Hello-World/staging' });
    expect(row.headers).toMatchObject({ 'x-github-event': 'deployment_status', 'x-github-delivery': delivery.deliveryId });
    expect(row.headers).not.toHaveProperty('x-hub-signature-256');

    const watch = await watchEnded(id);
    expect(watch).toMatchObject({ status: 'HEALTHY', deploymentId: `github-${payload.deployment.id}`, service: 'Hello-World', environment: 'staging' });
    expect(watch.smokeChecks).toEqual([{ url: `${w.service.url}/healthz`, ok: true, status: 200, detail: 'HTTP 200' }]);
    expect(w.prometheus.queries[0]).toBe('job:errors:ratio{service="Hello-World",env="staging"}');

    const [text] = await slackPosted(1);
    expect(text).toContain(`*Hello-World* ${payload.deployment.sha} in *staging* is healthy (deployment github-${payload.deployment.id})`);
    expect(w.rollback.requests).toHaveLength(0);

    const again = await postDeployment(w.t.url, delivery);
    expect(again.status).toBe(200);
    expect(await w.t.prisma.webhookEvent.count()).toBe(1);
    expect(await w.t.prisma.deployWatch.count()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.slackTexts()).toHaveLength(1);
  });

  it('a failed GitHub deployment is rolled back to the last healthy one of the same service and environment (its commit)', async () => {
    const first = await live({ environment: 'staging' });
    expect(await watchEnded(first.id)).toMatchObject({ status: 'HEALTHY' });
    await slackPosted(1);

    w.service.answer({ status: 503, body: 'upstream connect error' });
    const second = await live({ environment: 'staging' });
    expect(await watchEnded(second.id)).toMatchObject({ status: 'SMOKE_FAILED' });
    await waitFor('the rollback request', () => w.rollback.requests.length === 1);
    expect(JSON.parse(w.rollback.requests[0].body)).toMatchObject({ deployment: `github-${second.payload.deployment.id}`, to_version: first.payload.deployment.sha });
    const [, report] = await slackPosted(2);
    expect(report).toContain(`failed its release watch (deployment github-${second.payload.deployment.id}): rolled back to ${first.payload.deployment.sha}`);
  });

  it('the deployment payload may name the service, version, previous version and URLs; without any previous version a failure requests no rollback', async () => {
    w.service.answer({ status: 503, body: 'upstream connect error' });
    const named = await live({ environment: 'staging', environmentUrl: '', payload: { service: 'web', version: 'v42', previous_version: 'v41', urls: [w.service.url] } });
    expect(await watchEnded(named.id)).toMatchObject({ status: 'SMOKE_FAILED', service: 'web' });
    await waitFor('the rollback request', () => w.rollback.requests.length === 1);
    expect(JSON.parse(w.rollback.requests[0].body)).toMatchObject({ deployment: `github-${named.payload.deployment.id}`, to_version: 'v41' });
    await slackPosted(1);

    // First deployment seen of Hello-World/qa, nothing in its payload: nothing to go back to.
    const unknown = await live({ environment: 'qa' });
    expect(await watchEnded(unknown.id)).toMatchObject({ status: 'SMOKE_FAILED' });
    const [, report] = await slackPosted(2);
    expect(report).toContain(`failed its release watch (deployment github-${unknown.payload.deployment.id}): no rollback requested (no previous version known for Hello-World/qa)`);
    expect(w.rollback.requests).toHaveLength(1);
    // The watch ran and reported: the event succeeded (it is not a failure to retry).
    await waitFor('the event to succeed', async () => (await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: unknown.id } })).status === 'SUCCEEDED');
  });

  it('records the deployment event, failure/error/inactive statuses and pings IGNORED, with the reason, and watches nothing', async () => {
    const deliveries = [
      await githubDeploymentDelivery('deployment', githubDeploymentExample('deployment')),
      // Not a usable environment name, but a failure: ignored, not refused.
      await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ state: 'failure', environment: 'Production EU' })),
      await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ state: 'error' })),
      await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ state: 'inactive' })),
      await githubDeploymentDelivery('ping', { zen: 'Keep it logically awesome.', hook_id: 292430182 }),
    ];
    for (const delivery of deliveries) expect((await postDeployment(w.t.url, delivery)).status).toBe(202);
    const rows = await w.t.prisma.webhookEvent.findMany({ orderBy: { receivedAt: 'asc' } });
    expect(rows.map((r) => [r.eventType, r.status])).toEqual([
      ['github.deployment.created', 'IGNORED'],
      ['github.deployment_status.failure', 'IGNORED'],
      ['github.deployment_status.error', 'IGNORED'],
      ['github.deployment_status.inactive', 'IGNORED'],
      ['github.ping', 'IGNORED'],
    ]);
    expect(rows[0].statusReason).toContain('watched once it is live');
    expect(rows[1].statusReason).toBe('deployment_status failure: only a deployment GitHub reports live (state success) is watched');
    expect(await w.t.prisma.deployWatch.count()).toBe(0);
    expect(w.service.requests).toHaveLength(0);
  });

  it('refuses a forged or tampered GitHub signature (401), and a success status whose environment cannot name a watch (400)', async () => {
    const forged = await postDeployment(w.t.url, await githubDeploymentDelivery('deployment_status', githubDeploymentStatus(), { secret: 'not-the-configured-secret' }));
    expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const signed = await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ environment: 'staging' }));
    const tampered = await postDeployment(w.t.url, { ...signed, body: signed.body.replace('"staging"', '"production"') });
    expect(tampered).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    // The rotated secret is accepted.
    expect((await postDeployment(w.t.url, await githubDeploymentDelivery('ping', { zen: 'hi' }, { secret: 'an-older-github-secret' }))).status).toBe(202);

    const spaced = await postDeployment(w.t.url, await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ environment: 'Production EU' })));
    expect(spaced.status).toBe(400);
    expect(spaced.text).toContain('deployment.environment: letters, digits');

    // deployment.payload is its creator's, free-form: fields of another shape are not used, nor refused.
    const odd = await postDeployment(w.t.url, await githubDeploymentDelivery('deployment_status', githubDeploymentStatus({ payload: { service: 42, urls: 'not-a-list' } })));
    expect(odd.status).toBe(202);
    expect(await w.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: odd.body!.id as string } })).toMatchObject({ subject: 'Hello-World/production' });
    expect(await w.t.prisma.webhookEvent.count()).toBe(2);
  });
});
