import { Module } from '@nestjs/common';
import { CreateLinearIssueTool } from './create-linear-issue.tool.js';
import { LinearConnector } from './linear.connector.js';

/** Linear's GraphQL API and the create_linear_issue tool. */
@Module({
  providers: [LinearConnector, CreateLinearIssueTool],
  exports: [LinearConnector],
})
export class LinearConnectorModule {}
