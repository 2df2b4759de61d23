import type { IncomingHttpHeaders } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from './webhook-verifier.js';

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Standard Webhooks (standardwebhooks.com, also Svix's scheme): `webhook-signature` holds
 * space-separated `v1,<base64>` entries over `id.timestamp.body`, keyed by the base64 secret after
 * `whsec_`; the timestamp must be within 5 minutes either way. Checked with the `standardwebhooks`
 * package; several secrets may be configured (rotation), any one matching is enough.
 */
export class StandardWebhooksVerifier implements WebhookVerifier {
  private readonly webhooks: Webhook[];

  constructor(secrets: readonly string[]) {
    this.webhooks = secrets.map((secret) => new Webhook(secret));
  }

  isConfigured(): boolean {
    return this.webhooks.length > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const missing = HEADERS.filter((name) => typeof headers[name] !== 'string' || headers[name] === '');
    if (missing.length > 0) return signatureFailure('missing_signature', `the ${missing.join(', ')} header${missing.length > 1 ? 's are' : ' is'} missing`);
    const signed = Object.fromEntries(HEADERS.map((name) => [name, headers[name] as string]));
    for (const webhook of this.webhooks) {
      try {
        // Only the signature: the body is parsed afterwards, with the ingest path's own errors.
        webhook.verify(rawBody, signed, { jsonParse: false });
        return { valid: true };
      } catch (err) {
        if (!(err instanceof WebhookVerificationError)) throw err;
        if (/timestamp too (old|new)/i.test(err.message)) return signatureFailure('timestamp_out_of_tolerance', `webhook-timestamp is ${err.message.toLowerCase().includes('old') ? 'older' : 'newer'} than 5 minutes`);
        if (/invalid signature headers/i.test(err.message)) return signatureFailure('signature_mismatch', 'webhook-timestamp is not a Unix timestamp in seconds');
      }
    }
    return signatureFailure('signature_mismatch', 'webhook-signature does not match the body');
  }
}
