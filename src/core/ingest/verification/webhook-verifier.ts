import type { IncomingHttpHeaders } from 'node:http';

export type SignatureFailureReason = 'missing_signature' | 'signature_mismatch' | 'timestamp_out_of_tolerance';

export type VerificationResult = { valid: true } | { valid: false; reason: SignatureFailureReason; message: string };

/** Checks that a delivery was signed by the provider. Shared schemes live beside this file; a provider may bring its own. */
export interface WebhookVerifier {
  /** False when the provider's secret is not configured: deliveries are refused with 503. */
  isConfigured(): boolean;
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult>;
}

export function signatureFailure(reason: SignatureFailureReason, message: string): VerificationResult {
  return { valid: false, reason, message };
}
