import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { IsHttpUrl } from '../../config/setting-values.js';

/** Settings of the Slack connector (SlackConnector and post_slack_message). */
@SettingsGroup('Slack connector', 'Posting messages to Slack channels as a bot (post_slack_message).')
export class SlackConnectorConfig {
  @Setting({ secret: true, description: 'Bot token (xoxb-…) with chat:write, and channels:history so that a retried message is found instead of posted twice. Unset: post_slack_message runs as a dry run.' })
  @IsOptional()
  @IsString()
  SLACK_BOT_TOKEN?: string;

  @Setting({ description: 'Base URL of the Slack Web API.' })
  @IsHttpUrl()
  SLACK_API_URL = 'https://slack.com/api/';

  @Setting({
    description:
      'Channel (id) where actions waiting for approval are posted with Approve / Reject buttons; needs the Slack app\'s Interactivity Request URL set to /webhooks/slack/interactions. Unset: approvals are made through the admin API only.',
  })
  @IsOptional()
  @IsString()
  APPROVALS_SLACK_CHANNEL?: string;

  @Setting({ description: 'Comma-separated Slack user ids (U…) allowed to approve or reject from Slack; anyone else is told they are not allowed.' })
  @IsOptional()
  @IsString()
  APPROVER_SLACK_USER_IDS?: string;
}
