import type { IncomingHttpHeaders } from 'node:http';
import { HmacSignatureVerifier, signatureFailure, StandardWebhooksVerifier, type VerificationResult, type WebhookVerifier } from '../../core/index.js';

/** GitHub's headers: a delivery carrying either is checked in GitHub mode, never as a Standard Webhooks one. */
export function isGithubDelivery(headers: IncomingHttpHeaders): boolean {
  return headers['x-github-event'] !== undefined || headers['x-hub-signature-256'] !== undefined;
}

/**
 * The endpoint's two ways in, each with the core's verifier of its scheme and its own secrets:
 * Standard Webhooks (DEPLOYMENTS_WEBHOOK_SECRET) and, in GitHub mode, GitHub's X-Hub-Signature-256
 * (DEPLOYMENTS_GITHUB_WEBHOOK_SECRET). Which one is chosen by the delivery's headers; a delivery for a
 * mode that is not configured is refused 401 with a message naming the variable. Neither configured:
 * the provider is not configured (503).
 */
export class DeploymentDeliveryVerifier implements WebhookVerifier {
  private readonly standard: StandardWebhooksVerifier;
  private readonly github: HmacSignatureVerifier;

  constructor(standardSecrets: readonly string[], githubSecrets: readonly string[]) {
    this.standard = new StandardWebhooksVerifier(standardSecrets);
    this.github = new HmacSignatureVerifier(githubSecrets, { header: 'x-hub-signature-256', encoding: 'hex', prefix: 'sha256=' });
  }

  isConfigured(): boolean {
    return this.standard.isConfigured() || this.github.isConfigured();
  }

  get githubMode(): boolean {
    return this.github.isConfigured();
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    if (isGithubDelivery(headers)) {
      if (!this.github.isConfigured()) {
        return signatureFailure('signature_mismatch', 'a GitHub delivery, but GitHub mode is off on this server (DEPLOYMENTS_GITHUB_WEBHOOK_SECRET is not set)');
      }
      return this.github.verify(rawBody, headers);
    }
    if (!this.standard.isConfigured()) {
      return signatureFailure('signature_mismatch', 'a Standard Webhooks delivery, but DEPLOYMENTS_WEBHOOK_SECRET is not set on this server (only GitHub mode is on)');
    }
    return this.standard.verify(rawBody, headers);
  }
}
