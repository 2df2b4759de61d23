import { Injectable } from '@nestjs/common';
import { StripeConnector } from '../../connectors/stripe/stripe.connector.js';
import type { StripePayment } from './stripe-payment.js';

export interface CustomerDetails {
  email: string | null;
  name: string | null;
  state: string | null;
}

/**
 * The customer's e-mail, name and billing state: from the event's object first (`receipt_email`,
 * `metadata.email`, the invoice's customer fields), and from the Customer object through the Stripe
 * API only for what is still missing, when there is a customer and STRIPE_API_KEY is set.
 */
@Injectable()
export class StripeCustomerDetails {
  constructor(private readonly stripe: StripeConnector) {}

  async of(payment: StripePayment): Promise<CustomerDetails> {
    const known: CustomerDetails = { email: payment.email, name: payment.name, state: payment.state };
    if ((known.email && known.state) || !payment.customerId || this.stripe.unavailableReason()) return known;
    const customer = await this.stripe.customer(payment.customerId);
    if (!customer || customer.deleted) return known;
    return { email: known.email ?? customer.email, name: known.name ?? customer.name, state: known.state ?? customer.state };
  }
}
