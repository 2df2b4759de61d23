import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { secretFingerprint } from '../../connectors/github/github.connector.js';
import { type DeliveryDescription, InvalidDeliveryError, type RedactedPayload, WebhookProviderDefinition } from '../../core/index.js';
import { EcdsaSignatureVerifier } from './ecdsa-signature.verifier.js';
import { githubPublicKeys } from './github-public-keys.js';
import { partnerMatchesSchema, type StoredMatch } from './partner-match.payload.js';
import { SecretScanningPartnerConfig } from './secret-scanning-partner.config.js';

export const SECRET_SCANNING_PARTNER = 'secret-scanning-partner';
export const MATCH_EVENT = 'secret_scanning_partner.match';

/**
 * GitHub's secret scanning partner alerts at /webhooks/secret-scanning-partner: a JSON array of
 * matches (`token`, `type`, `url`, `source`), signed with ECDSA P-256 (EcdsaSignatureVerifier).
 * GitHub sends no delivery id: it is the SHA-256 of the matches as stored (fingerprints, types,
 * urls, sources), so a resent scan is a duplicate. The token itself is replaced by its fingerprint
 * before anything is written (redact).
 */
@Injectable()
@WebhookProviderDefinition()
export class SecretScanningPartnerWebhookProvider implements WebhookProviderDefinition {
  readonly name = SECRET_SCANNING_PARTNER;
  readonly secretVariable = 'SECRET_SCANNING_PARTNER_PUBLIC_KEYS';
  readonly storedHeaders = ['github-public-key-identifier', 'user-agent', 'content-type'] as const;
  readonly verifier: EcdsaSignatureVerifier;

  constructor(@Inject(SecretScanningPartnerConfig) config: SecretScanningPartnerConfig) {
    this.verifier = new EcdsaSignatureVerifier(githubPublicKeys(config.SECRET_SCANNING_PARTNER_PUBLIC_KEYS));
  }

  describe(payload: unknown): DeliveryDescription {
    const matches = storedMatches(payload);
    const [first] = matches;
    const more = matches.length > 1 ? ` (+${matches.length - 1} more)` : '';
    return {
      deliveryId: `sha256:${createHash('sha256').update(JSON.stringify(matches)).digest('hex')}`,
      eventType: MATCH_EVENT,
      subject: `${first.type} ${first.url}${more}`,
    };
  }

  /** Every match is kept as its token's fingerprint, type, url and source; the token never is, nor any other field. */
  redact(payload: unknown): RedactedPayload {
    return { payload: storedMatches(payload) };
  }
}

function storedMatches(payload: unknown): StoredMatch[] {
  const parsed = partnerMatchesSchema.safeParse(payload);
  if (!parsed.success) {
    // Issue paths and messages only: zod's messages name types and sizes, never the values.
    throw new InvalidDeliveryError('invalid_payload', parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
  }
  return parsed.data.map((m) => ({ token_fingerprint: secretFingerprint(m.token), type: m.type, url: m.url, source: m.source ?? null }));
}
