import { Module } from '@nestjs/common';
import { PostSlackMessageTool } from './post-slack-message.tool.js';
import { SlackApprovals } from './slack-approvals.js';
import { SlackConnector } from './slack.connector.js';

/** Slack's Web API and the post_slack_message tool. */
@Module({
  providers: [SlackConnector, PostSlackMessageTool, SlackApprovals],
  exports: [SlackConnector, SlackApprovals],
})
export class SlackConnectorModule {}
