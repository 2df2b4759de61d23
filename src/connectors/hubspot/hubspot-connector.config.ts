import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the HubSpot connector (HubSpotConnector and create_hubspot_deal). */
@SettingsGroup('HubSpot connector', 'Creating CRM deals in HubSpot, linked to a contact by e-mail (create_hubspot_deal).')
export class HubSpotConnectorConfig {
  @Setting({
    secret: true,
    description:
      'Private app access token (pat-…) with the scopes crm.objects.deals.read/write, crm.objects.contacts.read/write and crm.schemas.deals.read/write (the last to create the unique deal property hookwise_action_key on first use; without write, create it by hand: see the Typeform provider README). Unset: create_hubspot_deal runs as a dry run.',
  })
  @IsOptional()
  @IsString()
  HUBSPOT_TOKEN?: string;

  @Setting({ description: 'Base URL of the HubSpot API.' })
  @IsHttpUrl()
  HUBSPOT_API_URL = 'https://api.hubapi.com';
}
