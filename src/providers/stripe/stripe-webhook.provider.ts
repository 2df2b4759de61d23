import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, InvalidDeliveryError, WebhookProviderDefinition } from '../../core/index.js';
import { stripeEventSchema } from './stripe-event.schema.js';
import { StripeSignatureVerifier } from './stripe-signature.verifier.js';
import { StripeConfig } from './stripe.config.js';

export const STRIPE = 'stripe';

/**
 * Stripe webhook endpoints (Stripe-Signature). The delivery id is the event id (`evt_…`, the same on
 * every retry), the type the event's type, the subject the customer (`cus_…`), else the receipt
 * e-mail. The event is stored as received: `livemode`, `api_version` and the Connect `account`
 * stay on it, and `describe` refuses an envelope without them in the shape Stripe sends.
 */
@Injectable()
@WebhookProviderDefinition()
export class StripeWebhookProvider implements WebhookProviderDefinition {
  readonly name = STRIPE;
  readonly secretVariable = 'STRIPE_WEBHOOK_SECRET';
  readonly storedHeaders = ['user-agent', 'content-type'] as const;
  readonly verifier: StripeSignatureVerifier;

  constructor(@Inject(StripeConfig) config: StripeConfig) {
    this.verifier = new StripeSignatureVerifier(secretList(config.STRIPE_WEBHOOK_SECRET));
  }

  describe(payload: unknown, _headers: IncomingHttpHeaders): DeliveryDescription {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidDeliveryError('invalid_payload', 'a Stripe event must be a JSON object');
    }
    if ((payload as { object?: unknown }).object === 'v2.core.event') {
      throw new InvalidDeliveryError('invalid_payload', 'a thin event notification (v2.core.event) is not a webhook event; point a snapshot-event destination here');
    }
    const result = stripeEventSchema.safeParse(payload);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
      throw new InvalidDeliveryError('invalid_payload', problems.join('; '));
    }
    const event = result.data;
    return { deliveryId: event.id, eventType: event.type, subject: subjectOf(event.data.object) };
  }
}

/** The customer id, else the e-mail the object carries (a guest checkout has no customer). */
function subjectOf(object: Record<string, unknown>): string | null {
  const customer = object.customer;
  if (typeof customer === 'string' && customer !== '') return customer;
  if (customer && typeof customer === 'object' && typeof (customer as { id?: unknown }).id === 'string') return (customer as { id: string }).id;
  if (object.object === 'customer' && typeof object.id === 'string') return object.id;
  for (const field of ['receipt_email', 'customer_email', 'email']) {
    const value = object[field];
    if (typeof value === 'string' && value.includes('@')) return value.toLowerCase();
  }
  return null;
}
