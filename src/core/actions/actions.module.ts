import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ActionLedger } from './action-ledger.js';
import { ActionService } from './action.service.js';
import { InterruptedActionSweeper } from './interrupted-action-sweeper.js';
import { ToolPolicies } from './tool-policies.js';
import { ToolRegistry } from './tool.registry.js';

/**
 * The ActionService that guards every tool call, the action ledger and the registry of tools (which
 * connectors provide, outside the core). Global: every role can approve.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [ToolRegistry, ToolPolicies, ActionLedger, ActionService, InterruptedActionSweeper],
  exports: [ToolRegistry, ActionService],
})
export class ActionsModule {}
