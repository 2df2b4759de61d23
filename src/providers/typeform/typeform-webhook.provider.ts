import { Inject, Injectable } from '@nestjs/common';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, HmacSignatureVerifier, InvalidDeliveryError, WebhookProviderDefinition } from '../../core/index.js';
import { readLead } from './typeform-answers.js';
import { typeformPayloadSchema } from './typeform-payload.schema.js';
import { TypeformConfig } from './typeform.config.js';

export const TYPEFORM = 'typeform';

/** Typeform webhooks: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`, delivery id `event_id`. */
@Injectable()
@WebhookProviderDefinition()
export class TypeformWebhookProvider implements WebhookProviderDefinition {
  readonly name = TYPEFORM;
  readonly secretVariable = 'TYPEFORM_WEBHOOK_SECRET';
  readonly storedHeaders = ['user-agent', 'content-type'] as const;
  readonly verifier: HmacSignatureVerifier;

  constructor(@Inject(TypeformConfig) private readonly config: TypeformConfig) {
    // A hex digest (or any other encoding) is a mismatch: Typeform signs in base64.
    this.verifier = new HmacSignatureVerifier(secretList(config.TYPEFORM_WEBHOOK_SECRET), { header: 'typeform-signature', encoding: 'base64', prefix: 'sha256=' });
  }

  describe(payload: unknown): DeliveryDescription {
    const result = typeformPayloadSchema.safeParse(payload);
    if (!result.success) {
      throw new InvalidDeliveryError('invalid_payload', result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
    }
    const { event_id, event_type, form_response } = result.data;
    if (event_type === 'form_response' && !form_response) throw new InvalidDeliveryError('invalid_payload', 'form_response: required for a form_response event');
    const email = form_response ? readLead(form_response, this.config).email : undefined;
    return {
      deliveryId: event_id,
      eventType: event_type,
      subject: email ?? null,
      ignoreReason:
        event_type === 'form_response' && !email ? `form response without an e-mail (no valid answer or hidden field with ref "${this.config.TYPEFORM_EMAIL_REF}")` : undefined,
    };
  }
}
