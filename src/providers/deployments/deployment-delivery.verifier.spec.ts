import { describe, expect, it } from 'vitest';
import { DeploymentDeliveryVerifier } from './deployment-delivery.verifier.js';
import { deploymentCreated, deploymentDelivery, TEST_DEPLOY_SECRET } from './testing/deployment-deliveries.js';
import { githubDeploymentDelivery, githubDeploymentStatus, TEST_DEPLOY_GITHUB_SECRET } from './testing/github-deployment-deliveries.js';

const standard = () => deploymentDelivery(deploymentCreated({ urls: ['https://web.example.com'] }));
const github = () => githubDeploymentDelivery('deployment_status', githubDeploymentStatus());
const verify = (verifier: DeploymentDeliveryVerifier, delivery: { body: string; headers: Record<string, string> }) => verifier.verify(Buffer.from(delivery.body), delivery.headers);

describe('DeploymentDeliveryVerifier: Standard Webhooks, or GitHub mode by the headers, each with its own secrets', () => {
  it('is not configured (503) only when neither secret is set', () => {
    expect(new DeploymentDeliveryVerifier([], []).isConfigured()).toBe(false);
    expect(new DeploymentDeliveryVerifier([TEST_DEPLOY_SECRET], []).isConfigured()).toBe(true);
    expect(new DeploymentDeliveryVerifier([], [TEST_DEPLOY_GITHUB_SECRET]).isConfigured()).toBe(true);
  });

  it('checks each kind of delivery with its own scheme and secret', async () => {
    const both = new DeploymentDeliveryVerifier([TEST_DEPLOY_SECRET], [TEST_DEPLOY_GITHUB_SECRET]);
    expect(await verify(both, standard())).toEqual({ valid: true });
    expect(await verify(both, await github())).toEqual({ valid: true });
    // A GitHub delivery signed with the Standard Webhooks secret is not GitHub's.
    expect(await verify(both, await githubDeploymentDelivery('deployment_status', githubDeploymentStatus(), { secret: TEST_DEPLOY_SECRET }))).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });

  it('refuses a delivery of a mode that is off, naming the variable', async () => {
    expect(await verify(new DeploymentDeliveryVerifier([TEST_DEPLOY_SECRET], []), await github())).toEqual({
      valid: false,
      reason: 'signature_mismatch',
      message: 'a GitHub delivery, but GitHub mode is off on this server (DEPLOYMENTS_GITHUB_WEBHOOK_SECRET is not set)',
    });
    expect(await verify(new DeploymentDeliveryVerifier([], [TEST_DEPLOY_GITHUB_SECRET]), standard())).toMatchObject({
      valid: false,
      message: expect.stringContaining('DEPLOYMENTS_WEBHOOK_SECRET is not set'),
    });
  });
});
