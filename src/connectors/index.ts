import type { SettingsClass } from '../config/setting.decorator.js';
import { GithubConnectorConfig } from './github/github-connector.config.js';
import { GithubConnectorModule } from './github/github-connector.module.js';
import { HttpActionsConnectorConfig } from './http-actions/http-actions-connector.config.js';
import { HttpActionsConnectorModule } from './http-actions/http-actions-connector.module.js';
import { HubSpotConnectorConfig } from './hubspot/hubspot-connector.config.js';
import { HubSpotConnectorModule } from './hubspot/hubspot-connector.module.js';
import { LinearConnectorConfig } from './linear/linear-connector.config.js';
import { LinearConnectorModule } from './linear/linear-connector.module.js';
import { MailConnectorConfig } from './mail/mail-connector.config.js';
import { MailConnectorModule } from './mail/mail-connector.module.js';
import { SlackConnectorConfig } from './slack/slack-connector.config.js';
import { SlackConnectorModule } from './slack/slack-connector.module.js';
import { StripeConnectorConfig } from './stripe/stripe-connector.config.js';
import { StripeConnectorModule } from './stripe/stripe-connector.module.js';
import { WebResearchConnectorConfig } from './web-research/web-research-connector.config.js';
import { WebResearchConnectorModule } from './web-research/web-research-connector.module.js';

/** Every outbound connector, one line each. A new connector is its folder and its line here (and in `settings`). */
export const connectorModules = [
  GithubConnectorModule,
  MailConnectorModule,
  SlackConnectorModule,
  LinearConnectorModule,
  HubSpotConnectorModule,
  HttpActionsConnectorModule,
  StripeConnectorModule,
  WebResearchConnectorModule,
];

/** The connectors' settings classes, loaded and documented with the platform's (src/settings-classes.ts). */
export const settings: readonly SettingsClass[] = [
  GithubConnectorConfig,
  MailConnectorConfig,
  SlackConnectorConfig,
  LinearConnectorConfig,
  HubSpotConnectorConfig,
  HttpActionsConnectorConfig,
  StripeConnectorConfig,
  WebResearchConnectorConfig,
];
