import { verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { signatureFailure, type VerificationResult, type WebhookVerifier } from '../../core/index.js';

export const SIGNATURE_HEADER = 'github-public-key-signature';
export const KEY_ID_HEADER = 'github-public-key-identifier';

/**
 * GitHub's secret scanning partner signature: an ECDSA P-256 / SHA-256 signature of the raw body,
 * base64 of its DER encoding, in Github-Public-Key-Signature; the key that made it named by
 * Github-Public-Key-Identifier. Only keys configured here are accepted (an unknown identifier is a
 * 401, never a fetch: a request must not choose what is trusted). Like a plain HMAC, no timestamp
 * is signed; the ledger's delivery-id dedup makes a replayed body harmless.
 */
export class EcdsaSignatureVerifier implements WebhookVerifier {
  constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}

  isConfigured(): boolean {
    return this.keys.size > 0;
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const signature = single(headers, SIGNATURE_HEADER);
    const keyId = single(headers, KEY_ID_HEADER);
    if (!signature) return signatureFailure('missing_signature', `the ${SIGNATURE_HEADER} header is missing`);
    if (!keyId) return signatureFailure('missing_signature', `the ${KEY_ID_HEADER} header is missing`);
    const key = this.keys.get(keyId);
    // The identifier is the sender's claim: echo it only when it looks like one (hex, as GitHub's are).
    if (!key) return signatureFailure('signature_mismatch', `${KEY_ID_HEADER} names no configured key${/^[0-9a-f]{1,128}$/i.test(keyId) ? ` (${keyId})` : ''}`);
    if (rawBody.length === 0) return signatureFailure('signature_mismatch', 'the body is empty: there is nothing signed to check');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return signatureFailure('signature_mismatch', `${SIGNATURE_HEADER} is not base64`);
    let valid: boolean;
    try {
      valid = verify('sha256', rawBody, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      valid = false; // not a DER signature at all
    }
    return valid ? { valid: true } : signatureFailure('signature_mismatch', `${SIGNATURE_HEADER} does not match the body for key ${keyId}`);
  }
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
