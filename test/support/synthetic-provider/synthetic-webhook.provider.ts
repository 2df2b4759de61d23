import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { HmacSignatureVerifier } from '../../../src/core/ingest/verification/hmac-signature.verifier.js';
import { InvalidDeliveryError } from '../../../src/core/ingest/invalid-delivery.error.js';
import { WebhookProviderDefinition, type DeliveryDescription } from '../../../src/core/ingest/webhook-provider-definition.js';

export const SYNTHETIC = 'synthetic';
export const SYNTHETIC_SECRET = 'synthetic-test-secret-do-not-log';
/** The form field a form-encoded synthetic delivery carries its JSON in (not GitHub's `payload`: the core must read the provider's). */
export const SYNTHETIC_FORM_FIELD = 'json';

/**
 * A sender no vendor owns, for the core's own tests: HMAC-SHA256 hex of the body in
 * `X-Synthetic-Signature` (`sha256=` prefix, the shared scheme), the delivery id in
 * `X-Synthetic-Delivery`, the event type and subject in the JSON body. It may also post
 * `application/x-www-form-urlencoded`, the JSON in the `json` field.
 */
@Injectable()
@WebhookProviderDefinition()
export class SyntheticWebhookProvider implements WebhookProviderDefinition {
  readonly name = SYNTHETIC;
  readonly secretVariable = 'SYNTHETIC_WEBHOOK_SECRET';
  readonly storedHeaders = ['x-synthetic-delivery', 'user-agent', 'content-type'] as const;
  readonly formPayloadField = SYNTHETIC_FORM_FIELD;
  readonly verifier = new HmacSignatureVerifier([SYNTHETIC_SECRET], { header: 'x-synthetic-signature', encoding: 'hex', prefix: 'sha256=' });

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    const deliveryId = headers['x-synthetic-delivery'];
    if (typeof deliveryId !== 'string' || deliveryId === '') throw new InvalidDeliveryError('missing_delivery_id', 'the X-Synthetic-Delivery header is missing');
    const fields = payload as { type?: unknown; subject?: unknown };
    if (typeof fields?.type !== 'string' || fields.type === '') throw new InvalidDeliveryError('missing_event_type', 'the payload has no type');
    return {
      deliveryId,
      eventType: fields.type,
      subject: typeof fields.subject === 'string' ? fields.subject : null,
      ignoreReason: fields.type === 'ping' ? 'ping: the sender checking that the endpoint is reachable' : undefined,
    };
  }
}
