import { defineWebhookProvider } from '../../core/index.js';
import { StripeCustomerDetails } from './stripe-customer-details.js';
import { StripeEventsReconciler } from './stripe-events.reconciler.js';
import { StripeGstInvoiceAgent } from './stripe-gst-invoice.agent.js';
import { StripeGstInvoiceHandler } from './stripe-gst-invoice.handler.js';
import { StripeRecoveryAgent } from './stripe-recovery.agent.js';
import { StripeRecoveryHandler } from './stripe-recovery.handler.js';
import { STRIPE, StripeWebhookProvider } from './stripe-webhook.provider.js';
import { StripeConfig } from './stripe.config.js';

/** Stripe webhooks: a GST invoice e-mailed once per successful payment, a recovery message for failed ones. */
export const stripeProvider = defineWebhookProvider({
  name: STRIPE,
  definition: StripeWebhookProvider,
  handlers: [StripeGstInvoiceHandler, StripeRecoveryHandler],
  providers: [StripeGstInvoiceAgent, StripeRecoveryAgent, StripeCustomerDetails],
  reconcilers: [StripeEventsReconciler],
  settings: [StripeConfig],
});
