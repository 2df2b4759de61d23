import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { AgentTool } from '../agent-tool.js';
import { ToolRegistry } from '../tool.registry.js';
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

const TOOLS = [SendEmailTool, PostSlackMessageTool, CreateLinearIssueTool, CreateHubSpotDealTool, RollbackDeployTool, RevokeKeyTool, RunSmokeTestTool];

/**
 * The connectors other than GitHub (SMTP, Slack, Linear, HubSpot, plain HTTP) and their agent
 * tools, registered with the global ToolRegistry (ActionsModule). Needs AppConfig.
 */
@Module({
  providers: [MailConnector, SlackConnector, LinearConnector, HubSpotConnector, ActionHttpConnector, ...TOOLS],
  exports: [...TOOLS],
})
export class ConnectorsModule implements OnModuleInit {
  private readonly tools: AgentTool[];

  constructor(
    @Inject(ToolRegistry) private readonly registry: ToolRegistry,
    @Inject(SendEmailTool) sendEmail: SendEmailTool,
    @Inject(PostSlackMessageTool) postSlackMessage: PostSlackMessageTool,
    @Inject(CreateLinearIssueTool) createLinearIssue: CreateLinearIssueTool,
    @Inject(CreateHubSpotDealTool) createHubSpotDeal: CreateHubSpotDealTool,
    @Inject(RollbackDeployTool) rollbackDeploy: RollbackDeployTool,
    @Inject(RevokeKeyTool) revokeKey: RevokeKeyTool,
    @Inject(RunSmokeTestTool) runSmokeTest: RunSmokeTestTool,
  ) {
    this.tools = [sendEmail, postSlackMessage, createLinearIssue, createHubSpotDeal, rollbackDeploy, revokeKey, runSmokeTest];
  }

  onModuleInit(): void {
    for (const tool of this.tools) this.registry.register(tool);
  }
}
