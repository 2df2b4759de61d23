import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the HubSpot connector (HubSpotConnector and create_hubspot_deal). */
@SettingsGroup('HubSpot connector', 'Creating CRM deals in HubSpot, linked to a contact by e-mail (create_hubspot_deal).')
export class HubSpotConnectorConfig {
  @Setting({ secret: true, description: 'Private app access token (pat-…) with access to deals and contacts. Unset: create_hubspot_deal runs as a dry run.' })
  @IsOptional()
  @IsString()
  HUBSPOT_TOKEN?: string;

  @Setting({ description: 'Base URL of the HubSpot API.' })
  @IsHttpUrl()
  HUBSPOT_API_URL = 'https://api.hubapi.com';
}
