import { Module } from '@nestjs/common';
import { ActionHttpConnector } from './action-http.connector.js';
import { RevokeKeyTool } from './revoke-key.tool.js';
import { RollbackDeployTool } from './rollback-deploy.tool.js';
import { RunSmokeTestTool } from './run-smoke-test.tool.js';

/** Plain HTTP endpoints of the operator's own (rollback, revoke, smoke test) and their tools. */
@Module({
  providers: [ActionHttpConnector, RollbackDeployTool, RevokeKeyTool, RunSmokeTestTool],
  exports: [ActionHttpConnector],
})
export class HttpActionsConnectorModule {}
