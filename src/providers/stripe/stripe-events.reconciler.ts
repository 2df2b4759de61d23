import { Injectable } from '@nestjs/common';
import { StripeConnector } from '../../connectors/stripe/stripe.connector.js';
import { InvalidDeliveryError, type ReconciliationContext, type Reconciler, WebhookReconciler } from '../../core/index.js';
import { STRIPE } from './stripe-webhook.provider.js';

/** Stripe lists events of the last 30 days. */
const STRIPE_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * Stripe stops retrying a delivery after three days. This lists the events created in the window
 * through the API (the call is authenticated, so the events need no signature) and writes each one
 * the ledger does not have straight to it, with provenance `reconciled`, read by the provider's own
 * definition and deduplicated on the event id like a delivery: a real delivery arriving later is a
 * duplicate, and an event already delivered is left as it is.
 */
@Injectable()
@WebhookReconciler()
export class StripeEventsReconciler implements Reconciler {
  readonly source = STRIPE;
  readonly maxWindowMs = STRIPE_WINDOW_MS;

  constructor(private readonly stripe: StripeConnector) {}

  unavailableReason(): string | null {
    return this.stripe.unavailableReason();
  }

  async run(context: ReconciliationContext): Promise<void> {
    const { tally } = context;
    const since = Math.ceil(context.since.getTime() / 1000);
    const until = Math.ceil(context.until.getTime() / 1000);
    if (since >= until) return;
    for await (const page of this.stripe.eventsCreatedBetween(since, until)) {
      tally.found += page.length;
      const known = await context.knownDeliveries(page.map((event) => event.id));
      for (const event of page) {
        if (known.has(event.id)) continue;
        tally.missing++;
        try {
          // A webhook delivery's body is the event object, exactly as the API returns it.
          if ((await context.ingest({ body: JSON.stringify(event) })) === 'ingested') tally.ingested++;
        } catch (err) {
          if (!(err instanceof InvalidDeliveryError)) throw err;
          tally.errors.push(`event ${event.id} (${event.type}): ${err.message}`);
        }
      }
    }
  }
}
