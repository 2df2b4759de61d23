import { Module } from '@nestjs/common';
import { StripeConnector } from './stripe.connector.js';

/** The Stripe API (customers, events) through the stripe SDK. */
@Module({
  providers: [StripeConnector],
  exports: [StripeConnector],
})
export class StripeConnectorModule {}
