import { GithubConnectorModule } from './github/github-connector.module.js';
import { HttpActionsConnectorModule } from './http-actions/http-actions-connector.module.js';
import { HubSpotConnectorModule } from './hubspot/hubspot-connector.module.js';
import { LinearConnectorModule } from './linear/linear-connector.module.js';
import { MailConnectorModule } from './mail/mail-connector.module.js';
import { SlackConnectorModule } from './slack/slack-connector.module.js';

/** Every outbound connector, one line each. A new connector is its folder and its line here. */
export const connectorModules = [
  GithubConnectorModule,
  MailConnectorModule,
  SlackConnectorModule,
  LinearConnectorModule,
  HubSpotConnectorModule,
  HttpActionsConnectorModule,
];
