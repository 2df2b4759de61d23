import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
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

/** Every tool of these connectors: a new one is added here, once. */
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
  constructor(
    @Inject(ToolRegistry) private readonly registry: ToolRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    for (const tool of TOOLS) this.registry.register(this.moduleRef.get<AgentTool>(tool));
  }
}
