import { Transform } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** Settings of the Stripe provider: its webhook secret, the GST invoice and the failed-payment recovery message. */
@SettingsGroup('Stripe provider', 'Receiving Stripe webhooks (Stripe-Signature), e-mailing a GST invoice for each successful payment, and a recovery message for failed ones.')
export class StripeConfig {
  @Setting({
    secret: true,
    description:
      "The endpoint's signing secret (whsec_…). Comma-separated to accept several while a secret is rolled: new-secret,old-secret. Unset: Stripe deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  STRIPE_WEBHOOK_SECRET?: string;

  @Setting({ section: 'GST invoice', description: 'GST rate included in every amount paid, as a fraction (0.18 = 18%).' })
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  GST_RATE = 0.18;

  @Setting({ description: 'Legal name of the business, printed on the invoice.' })
  @IsString()
  BUSINESS_NAME = 'Hookwise';

  @Setting({ description: 'Address of the business, printed on the invoice (use "\\n" for line breaks).' })
  @IsOptional()
  @IsString()
  BUSINESS_ADDRESS?: string;

  @Setting({ description: "The business's GSTIN, printed on the invoice.", example: '29ABCDE1234F1Z5' })
  @IsOptional()
  @Matches(/^[0-9]{2}[A-Z0-9]{13}$/, { message: 'BUSINESS_GSTIN must be a 15-character GSTIN' })
  BUSINESS_GSTIN?: string;

  @Setting({
    description:
      "The business's state for GST: its two-digit GST state code (29), ISO code (KA or IN-KA) or name (Karnataka). A customer billed in the same state pays CGST + SGST, any other (or unknown) IGST.",
  })
  @IsString()
  BUSINESS_STATE_CODE = '29';

  @Setting({ description: 'SAC (services accounting code) of what is sold, printed on the invoice.' })
  @Matches(/^\d{4,8}$/, { message: 'SAC_CODE must be 4 to 8 digits' })
  SAC_CODE = '998314';

  @Setting({ section: 'Failed-payment recovery', description: 'Link to fix a failed payment when Stripe gives no hosted invoice page for it.' })
  @IsOptional()
  @IsHttpUrl()
  PAYMENT_UPDATE_URL?: string;

  @Setting({ description: 'At most one recovery message per customer within this time: e.g. 24h, 90m, 2d.' })
  @Matches(/^[1-9]\d*(s|m|h|d)$/, { message: 'RECOVERY_COOLDOWN is a duration such as 24h, 90m or 2d' })
  RECOVERY_COOLDOWN = '24h';

  @Setting({ description: 'Failed payments of at least this amount (in the major unit of their currency, e.g. 10000 = ₹10,000.00) are also posted to RECOVERY_SLACK_CHANNEL. Unset: never.' })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  RECOVERY_SLACK_MIN_AMOUNT?: number;

  @Setting({ description: 'Slack channel (id or #name) for high-value failed payments.' })
  @IsString()
  RECOVERY_SLACK_CHANNEL = '#payments';
}
