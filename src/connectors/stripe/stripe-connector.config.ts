import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the Stripe connector (StripeConnector: reading customers and events through the Stripe API). */
@SettingsGroup('Stripe connector', 'Reading Stripe objects (customers, events) through the Stripe API with the stripe SDK.')
export class StripeConnectorConfig {
  @Setting({
    secret: true,
    description: 'Stripe secret or restricted key (sk_… / rk_…) with read access to customers and events. Unset: the Stripe API is not called (a customer whose e-mail is only on the Customer object gets no invoice).',
  })
  @IsOptional()
  @IsString()
  STRIPE_API_KEY?: string;

  @Setting({ description: 'Base URL of the Stripe API (protocol, host and port are handed to the stripe SDK).' })
  @IsHttpUrl()
  STRIPE_API_URL = 'https://api.stripe.com';
}
