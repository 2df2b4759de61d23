import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the GitHub connector (GithubConnector and its tools). */
@SettingsGroup('GitHub connector', 'The GitHub REST API, where agents read pull request diffs and post comments (github_post_issue_comment).')
export class GithubConnectorConfig {
  @Setting({
    secret: true,
    description: 'Token the connector calls GitHub with. Reading public repositories works without one; posting needs it. Unset: pull request reviews and comments run as dry runs.',
  })
  @IsOptional()
  @IsString()
  GITHUB_TOKEN?: string;

  @Setting({ description: 'Base URL of the GitHub REST API; GitHub Enterprise Server: https://ghe.example.com/api/v3.' })
  @IsHttpUrl()
  GITHUB_API_URL = 'https://api.github.com';

  @Setting({ description: "The GitHub App's id, with GITHUB_APP_PRIVATE_KEY: reconciliation then also checks the app's own webhook (GET /app/hook/deliveries)." })
  @IsOptional()
  @IsString()
  GITHUB_APP_ID?: string;

  @Setting({ secret: true, description: "The GitHub App's private key (PEM; `\\n` for line breaks on one line), which signs the app's JSON Web Tokens." })
  @IsOptional()
  @IsString()
  GITHUB_APP_PRIVATE_KEY?: string;
}
