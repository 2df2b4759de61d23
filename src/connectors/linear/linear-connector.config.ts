import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the Linear connector (LinearConnector and create_linear_issue). */
@SettingsGroup('Linear connector', 'Opening Linear issues (create_linear_issue).')
export class LinearConnectorConfig {
  @Setting({ secret: true, description: 'Linear API key (lin_api_…). Unset: create_linear_issue runs as a dry run.' })
  @IsOptional()
  @IsString()
  LINEAR_API_KEY?: string;

  @Setting({ description: 'URL of the Linear GraphQL API.' })
  @IsHttpUrl()
  LINEAR_API_URL = 'https://api.linear.app/graphql';

  @Setting({ description: 'The team new issues are created in (its id). Unset: create_linear_issue runs as a dry run.' })
  @IsOptional()
  @IsString()
  LINEAR_TEAM_ID?: string;
}
