import { Module } from '@nestjs/common';
import { ActionHttpConnector } from './action-http.connector.js';
import { CreateHubSpotDealTool } from './create-hubspot-deal.tool.js';
import { CreateLinearIssueTool } from './create-linear-issue.tool.js';
import { HubSpotConnector } from './hubspot.connector.js';
import { LinearConnector } from './linear.connector.js';
import { MailConnector } from './mail.connector.js';
import { PostSlackMessageTool } from './post-slack-message.tool.js';
import { RevokeKeyTool } from './revoke-key.tool.js';
import { RollbackDeployTool } from './rollback-deploy.tool.js';
import { RunSmokeTestTool } from './run-smoke-test.tool.js';
import { SendEmailTool } from './send-email.tool.js';
import { SlackConnector } from './slack.connector.js';

/** Every tool of these connectors (each an `@AgentTool()`, which ToolRegistry finds): a new one is added here, once. */
const TOOLS = [SendEmailTool, PostSlackMessageTool, CreateLinearIssueTool, CreateHubSpotDealTool, RollbackDeployTool, RevokeKeyTool, RunSmokeTestTool];

/**
 * The connectors other than GitHub (SMTP, Slack, Linear, HubSpot, plain HTTP) and their agent
 * tools, which the global ToolRegistry (ActionsModule) finds at boot. Needs AppConfig.
 */
@Module({
  providers: [MailConnector, SlackConnector, LinearConnector, HubSpotConnector, ActionHttpConnector, ...TOOLS],
  exports: [...TOOLS],
})
export class ConnectorsModule {}
