import { verifyWithFallback } from '@octokit/webhooks-methods';
import type { IncomingHttpHeaders } from 'node:http';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from '../../core/index.js';

const SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, checked with
 * @octokit/webhooks-methods. Several secrets may be active at once (rotation): any one matching
 * is enough. GitHub signs no timestamp and no header: a redelivery keeps its delivery id (a
 * duplicate), but a captured body sent again under a new id verifies (docs/providers.md, GitHub).
 */
export class GithubSignatureVerifier implements WebhookVerifier {
  constructor(private readonly secrets: readonly string[]) {}

  isConfigured(): boolean {
    return this.secrets.length > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const signature = headers[SIGNATURE_HEADER];
    if (typeof signature !== 'string' || signature.length === 0) {
      return signatureFailure('missing_signature', 'the X-Hub-Signature-256 header is missing');
    }
    if (!/^sha256=[0-9a-f]{64}$/i.test(signature)) {
      return signatureFailure('signature_mismatch', 'X-Hub-Signature-256 is not of the form sha256=<64 hex digits>');
    }
    if (rawBody.length === 0) {
      return signatureFailure('signature_mismatch', 'the body is empty: there is nothing signed to check');
    }
    // @octokit/webhooks-methods signs text: the body's UTF-8 decoding is its exact bytes, since
    // bodies that are not UTF-8 are refused before verification (assertReadableBody).
    const [first, ...others] = this.secrets;
    const valid = await verifyWithFallback(first, rawBody.toString('utf8'), signature.toLowerCase(), others);
    return valid ? { valid: true } : signatureFailure('signature_mismatch', 'X-Hub-Signature-256 does not match the body');
  }
}
