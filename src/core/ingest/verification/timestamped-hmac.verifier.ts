import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, matchesAnySecret } from './signature-comparison.js';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from './webhook-verifier.js';

export interface TimestampedHmacOptions {
  /** Lower-case header carrying the signature(s): comma-separated `<scheme>=<hex>` entries. */
  signatureHeader: string;
  /** Lower-case header carrying the Unix timestamp (Slack); unset: a `t=` entry of the signature header (Stripe). */
  timestampHeader?: string;
  /** The signature entries accepted (`v1` for Stripe, `v0` for Slack); entries of any other scheme are ignored, never accepted. */
  scheme: string;
  /**
   * The signed text, with `{scheme}`, `{timestamp}` and `{body}` replaced: `{timestamp}.{body}` for
   * Stripe, `{scheme}:{timestamp}:{body}` for Slack.
   */
  signedContent: string;
  /** How far the timestamp may be from now, in seconds, in either direction. */
  toleranceSeconds: number;
  /** The clock, in milliseconds (tests of old vectors set it). */
  now?: () => number;
}

/**
 * Stripe- and Slack-style signatures: an HMAC-SHA256 (hex) of a timestamp joined to the raw body,
 * so a captured delivery stops verifying once the timestamp leaves the tolerance. Several signature
 * entries may be present (Stripe sends one per active secret while a secret is rolled) and several
 * secrets may be configured: any entry matching any secret is enough.
 */
export class TimestampedHmacVerifier implements WebhookVerifier {
  private readonly now: () => number;

  constructor(
    private readonly secrets: readonly string[],
    private readonly options: TimestampedHmacOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  isConfigured(): boolean {
    return this.secrets.length > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const { signatureHeader, timestampHeader, scheme } = this.options;
    const header = headerValue(headers, signatureHeader);
    if (!header) return signatureFailure('missing_signature', `the ${signatureHeader} header is missing`);
    const entries = header.split(',').map((entry) => entry.trim());
    const signatures = entries.filter((entry) => entry.startsWith(`${scheme}=`)).map((entry) => entry.slice(scheme.length + 1));
    if (signatures.length === 0) return signatureFailure('signature_mismatch', `${signatureHeader} has no ${scheme}= signature`);

    const timestamp = timestampHeader ? headerValue(headers, timestampHeader) : entries.find((e) => e.startsWith('t='))?.slice(2);
    const where = timestampHeader ?? `the t= entry of ${signatureHeader}`;
    if (!timestamp) return signatureFailure('missing_signature', `${where} is missing`);
    if (!/^\d{1,12}$/.test(timestamp)) return signatureFailure('signature_mismatch', `${where} is not a Unix timestamp in seconds`);
    const skew = Math.abs(this.now() / 1000 - Number(timestamp));
    if (skew > this.options.toleranceSeconds) {
      return signatureFailure('timestamp_out_of_tolerance', `${where} is ${Math.round(skew)} s from now; at most ${this.options.toleranceSeconds} s are accepted`);
    }

    // The body is signed as received: its bytes, joined to the timestamp as text.
    const [before, after] = this.options.signedContent.replaceAll('{scheme}', scheme).replaceAll('{timestamp}', timestamp).split('{body}');
    const content = Buffer.concat([Buffer.from(before), rawBody, Buffer.from(after ?? '')]);
    const valid = signatures.some((signature) => matchesAnySecret(this.secrets, content, signature, 'hex'));
    return valid ? { valid: true } : signatureFailure('signature_mismatch', `${signatureHeader} does not match the body`);
  }
}
