import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, HmacSignatureVerifier, InvalidDeliveryError, type RedactedPayload, WebhookProviderDefinition } from '../../core/index.js';
import { secretScanningAlertPayloadSchema } from './security-alert.payload.js';
import { redactSecretValues } from './secret-redaction.js';
import { SecurityConfig } from './security.config.js';

export const SECURITY = 'security';
export const RESPONDED_ACTIONS = new Set(['created', 'reopened']);

/**
 * GitHub `secret_scanning_alert` webhooks at /webhooks/security, signed like every GitHub webhook
 * (X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>) with SECURITY_WEBHOOK_SECRET.
 * Delivery id: X-GitHub-Delivery; subject: repository#alert number. Only `created` and `reopened`
 * are acted on; `resolved`, `validated` and the rest are recorded IGNORED.
 */
@Injectable()
@WebhookProviderDefinition()
export class SecurityWebhookProvider implements WebhookProviderDefinition {
  readonly name = SECURITY;
  readonly secretVariable = 'SECURITY_WEBHOOK_SECRET';
  readonly storedHeaders = ['x-github-event', 'x-github-delivery', 'x-github-hook-id', 'user-agent', 'content-type'] as const;
  readonly verifier: HmacSignatureVerifier;

  constructor(@Inject(SecurityConfig) config: SecurityConfig) {
    this.verifier = new HmacSignatureVerifier(secretList(config.SECURITY_WEBHOOK_SECRET), { header: 'x-hub-signature-256', encoding: 'hex', prefix: 'sha256=' });
  }

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    const event = single(headers, 'x-github-event');
    const deliveryId = single(headers, 'x-github-delivery');
    if (!event) throw new InvalidDeliveryError('missing_event_type', 'the X-GitHub-Event header is missing');
    if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the X-GitHub-Delivery header is missing');
    if (event === 'ping') return { deliveryId, eventType: 'ping', subject: null, ignoreReason: 'ping: GitHub checking that the hook is reachable' };
    if (event !== 'secret_scanning_alert') {
      return { deliveryId, eventType: event, subject: null, ignoreReason: `${event}: this endpoint responds to secret_scanning_alert events only` };
    }
    const parsed = secretScanningAlertPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      throw new InvalidDeliveryError('invalid_payload', parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
    }
    const { action, alert, repository } = parsed.data;
    return {
      deliveryId,
      eventType: `secret_scanning_alert.${action}`,
      subject: `${repository.full_name}#${alert.number}`,
      ignoreReason: RESPONDED_ACTIONS.has(action) ? undefined : `secret_scanning_alert.${action}: only created and reopened alerts get a response`,
    };
  }

  /** A `secret` field, or a value in a known credential format, is replaced before the delivery is stored (see secret-redaction.ts). */
  redact(payload: unknown): RedactedPayload | null {
    return redactSecretValues(payload);
  }
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
