import { Module } from '@nestjs/common';
import { PostSlackMessageTool } from './post-slack-message.tool.js';
import { SlackConnector } from './slack.connector.js';

/** Slack's Web API and the post_slack_message tool. */
@Module({
  providers: [SlackConnector, PostSlackMessageTool],
  exports: [SlackConnector],
})
export class SlackConnectorModule {}
