import { Global, Module } from '@nestjs/common';
import { connectorModules } from './index.js';

/**
 * Every connector listed in index.ts, in every role: processors call their tools, and admin
 * approvals execute them from the api role too. Global, so a provider's handler can inject a
 * connector (GithubConnector...) without knowing which module provides it. Each tool is an
 * `@AgentTool()`, which the core's ToolRegistry finds at boot.
 */
@Global()
@Module({
  imports: connectorModules,
  exports: connectorModules,
})
export class ConnectorsModule {}
