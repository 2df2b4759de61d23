import { Module } from '@nestjs/common';
import { PostSlackMessageTool } from './post-slack-message.tool.js';
import { SlackApprovals } from './slack-approvals.js';
import { SlackConnector } from './slack.connector.js';
import { UpdateSlackMessageTool } from './update-slack-message.tool.js';

/** Slack's Web API and the post_slack_message and update_slack_message tools. */
@Module({
  providers: [SlackConnector, PostSlackMessageTool, UpdateSlackMessageTool, SlackApprovals],
  exports: [SlackConnector, SlackApprovals],
})
export class SlackConnectorModule {}
