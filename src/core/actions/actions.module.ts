import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ActionLedger } from './action-ledger.js';
import { ActionService } from './action.service.js';
import { InterruptedActionSweeper } from './interrupted-action-sweeper.js';
import { ConnectorsModule } from './connectors/connectors.module.js';
import { GithubConnectorModule } from './connectors/github-connector.module.js';
import { ToolPolicies } from './tool-policies.js';
import { ToolRegistry } from './tool.registry.js';

/** Tools agents can call, and the ActionService that guards every call. Global: every role can approve. */
@Global()
@Module({
  imports: [DiscoveryModule, GithubConnectorModule, ConnectorsModule],
  providers: [ToolRegistry, ToolPolicies, ActionLedger, ActionService, InterruptedActionSweeper],
  exports: [ToolRegistry, ActionService, GithubConnectorModule],
})
export class ActionsModule {}
