import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { Webhook } from 'standardwebhooks';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { deploymentCreated, deploymentDelivery, postDeployment, TEST_DEPLOY_OLD_SECRET, TEST_DEPLOY_SECRET } from './testing/deployment-deliveries.js';
import { githubDeploymentDelivery, githubDeploymentStatus } from './testing/github-deployment-deliveries.js';

const UNKNOWN_SECRET = `whsec_${Buffer.from('a secret nobody configured here').toString('base64')}`;
const payload = () => deploymentCreated({ urls: ['http://127.0.0.1:9/'] });

describe('Deployments provider: receiving (Standard Webhooks, signed with the standardwebhooks package)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DEPLOYMENTS_WEBHOOK_SECRET: `${TEST_DEPLOY_SECRET},${TEST_DEPLOY_OLD_SECRET}`, DEPLOY_SMOKE_CHECKS: undefined });
  });
  afterAll(() => t?.close());
  beforeEach(() => resetLedger(t.prisma));
  // Nothing still processing when the next test empties the ledger.
  afterEach(() => waitFor('every event to settle', async () => (await t.prisma.webhookEvent.count({ where: { status: { notIn: ['SUCCEEDED', 'IGNORED', 'DEAD'] } } })) === 0));

  it('records a signed deployment.created with webhook-id as delivery id and service/environment as subject; a redelivery is a duplicate', async () => {
    const event = payload();
    const delivery = deploymentDelivery(event);
    const first = await postDeployment(t.url, delivery);
    expect(first.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: first.body!.id as string } });
    expect(row).toMatchObject({ provider: 'deployments', deliveryId: delivery.deliveryId, eventType: 'deployment.created', subject: 'web/production' });
    expect(row.headers).not.toHaveProperty('webhook-signature');

    const again = await postDeployment(t.url, delivery);
    expect(again.status).toBe(200);
    expect(await t.prisma.webhookEvent.count()).toBe(1);
  });

  it('accepts a header with several signatures of which one is valid, and a delivery signed with the rotated (old) secret', async () => {
    const bogus = new Webhook(UNKNOWN_SECRET).sign('msg_other', new Date(), '{}');
    const multi = deploymentDelivery(payload(), { extraSignatures: [bogus, 'v1a,bm90IGFuIGVkMjU1MTkgc2lnbmF0dXJl', 'v2,garbage'] });
    expect(multi.headers['webhook-signature'].split(' ')).toHaveLength(4);
    expect((await postDeployment(t.url, multi)).status).toBe(202);

    const rotated = deploymentDelivery(payload(), { secrets: [TEST_DEPLOY_OLD_SECRET] });
    expect((await postDeployment(t.url, rotated)).status).toBe(202);
    expect(await t.prisma.webhookEvent.count()).toBe(2);
  });

  it('refuses an unknown secret, a body changed after signing, and timestamps more than 300 s old or ahead', async () => {
    const forged = await postDeployment(t.url, deploymentDelivery(payload(), { secrets: [UNKNOWN_SECRET] }));
    expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });

    const signed = deploymentDelivery(payload());
    const tampered = await postDeployment(t.url, { ...signed, body: signed.body.replace('"v41"', '"v1"') });
    expect(tampered).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });

    const old = await postDeployment(t.url, deploymentDelivery(payload(), { timestamp: new Date(Date.now() - 301_000) }));
    expect(old).toMatchObject({ status: 401, body: { error: 'timestamp_out_of_tolerance' } });
    const ahead = await postDeployment(t.url, deploymentDelivery(payload(), { timestamp: new Date(Date.now() + 301_000) }));
    expect(ahead).toMatchObject({ status: 401, body: { error: 'timestamp_out_of_tolerance' } });
    // Within the tolerance, either way.
    expect((await postDeployment(t.url, deploymentDelivery(payload(), { timestamp: new Date(Date.now() - 240_000) }))).status).toBe(202);
    expect((await postDeployment(t.url, deploymentDelivery(payload(), { timestamp: new Date(Date.now() + 240_000) }))).status).toBe(202);

    expect(await t.prisma.webhookEvent.count()).toBe(2);
  });

  it('answers 400 for a deployment.created without what the watch needs, and records other types IGNORED', async () => {
    const event = payload() as unknown as { data: Record<string, unknown> };
    delete event.data.previous_version;
    const invalid = await postDeployment(t.url, deploymentDelivery(event));
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('previous_version');

    const other = await postDeployment(t.url, deploymentDelivery({ type: 'deployment.started', data: {} }));
    expect(other.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: other.body!.id as string } });
    expect(row).toMatchObject({ status: 'IGNORED', eventType: 'deployment.started' });
  });

  it('GitHub mode off (no DEPLOYMENTS_GITHUB_WEBHOOK_SECRET): a correctly signed GitHub delivery is refused 401, saying so; nothing is recorded', async () => {
    const refused = await postDeployment(t.url, await githubDeploymentDelivery('deployment_status', githubDeploymentStatus()));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'signature_mismatch', message: expect.stringContaining('GitHub mode is off on this server (DEPLOYMENTS_GITHUB_WEBHOOK_SECRET is not set)') });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
