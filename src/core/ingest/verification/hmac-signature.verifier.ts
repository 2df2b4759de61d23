import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, matchesAnySecret, type DigestEncoding } from './signature-comparison.js';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from './webhook-verifier.js';

export interface HmacSignatureOptions {
  /** Lower-case header carrying the signature, e.g. `typeform-signature`. */
  header: string;
  encoding: DigestEncoding;
  /** Text before the digest, e.g. `sha256=`; none when the header is the bare digest. */
  prefix?: string;
  /** Node's name of the hash; sha256 unless the provider says otherwise. */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
}

/**
 * The most common scheme: an HMAC of the exact raw body, hex or base64, in one header, optionally
 * prefixed (`sha256=`). No timestamp is signed, so a captured delivery verifies again; the ledger's
 * delivery-id dedup is what makes a replay harmless. Several secrets may be active (rotation): any
 * one matching is enough.
 */
export class HmacSignatureVerifier implements WebhookVerifier {
  private readonly algorithm: string;
  private readonly prefix: string;

  constructor(
    private readonly secrets: readonly string[],
    private readonly options: HmacSignatureOptions,
  ) {
    this.algorithm = options.algorithm ?? 'sha256';
    this.prefix = options.prefix ?? '';
  }

  isConfigured(): boolean {
    return this.secrets.length > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const { header, encoding } = this.options;
    const signature = headerValue(headers, header);
    if (!signature) return signatureFailure('missing_signature', `the ${header} header is missing`);
    if (!signature.startsWith(this.prefix)) {
      return signatureFailure('signature_mismatch', `${header} is not of the form ${this.prefix}<${encoding} digest>`);
    }
    if (rawBody.length === 0) return signatureFailure('signature_mismatch', 'the body is empty: there is nothing signed to check');
    const valid = matchesAnySecret(this.secrets, rawBody, signature.slice(this.prefix.length), encoding, this.algorithm);
    return valid ? { valid: true } : signatureFailure('signature_mismatch', `${header} does not match the body`);
  }
}
