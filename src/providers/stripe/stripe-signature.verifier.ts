import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from '../../core/index.js';

const SIGNATURE_HEADER = 'stripe-signature';
/** Stripe's own default (`stripe.webhooks.DEFAULT_TOLERANCE`), in seconds. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, checked with the stripe package
 * (`webhooks.signature.verifyHeader`, the check `constructEvent` makes before it parses) over the raw bytes, for each
 * configured secret (rolling a secret keeps both valid): any `v1` entry matching any secret is
 * enough, and `v0` (the fake signature of test-mode events) is never accepted. The SDK rejects a
 * timestamp older than the tolerance (300 s); it lets one from the future through, so this checks
 * that side too: a clock 5 minutes ahead of ours is as suspect as one behind.
 */
export class StripeSignatureVerifier implements WebhookVerifier {
  constructor(
    private readonly secrets: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  isConfigured(): boolean {
    return this.secrets.length > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const header = headers[SIGNATURE_HEADER];
    if (typeof header !== 'string' || header.trim() === '') return signatureFailure('missing_signature', 'the Stripe-Signature header is missing');
    const timestamp = /(?:^|,)\s*t=(\d{1,12})\s*(?:,|$)/.exec(header)?.[1];
    if (timestamp === undefined) return signatureFailure('signature_mismatch', 'Stripe-Signature has no t=<unix seconds> entry');
    if (!/(?:^|,)\s*v1=/.test(header)) return signatureFailure('signature_mismatch', 'Stripe-Signature has no v1= signature (other schemes are never accepted)');
    const skew = Number(timestamp) - this.now() / 1000;
    if (Math.abs(skew) > STRIPE_TOLERANCE_SECONDS) {
      return signatureFailure(
        'timestamp_out_of_tolerance',
        `the Stripe-Signature timestamp is ${Math.round(Math.abs(skew))} s ${skew > 0 ? 'ahead of' : 'behind'} now; at most ${STRIPE_TOLERANCE_SECONDS} s are accepted`,
      );
    }
    const signature = Stripe.webhooks.signature;
    if (!signature) throw new Error('the stripe package has no webhook signature helper');
    for (const secret of this.secrets) {
      try {
        signature.verifyHeader(rawBody, header, secret, STRIPE_TOLERANCE_SECONDS, undefined, this.now());
        return { valid: true };
      } catch (err) {
        if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
      }
    }
    return signatureFailure('signature_mismatch', 'Stripe-Signature does not match the body with any configured secret');
  }
}
