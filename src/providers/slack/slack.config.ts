import { IsOptional, IsString } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

/** Settings of the Slack provider: its signing secret (SlackWebhookProvider) and the TODO → Linear agent (SlackTodoHandler). */
@SettingsGroup('Slack provider', 'Receiving the Slack Events API (X-Slack-Signature) and turning TODO messages into Linear issues.')
export class SlackConfig {
  @Setting({
    secret: true,
    description:
      "The Slack app's signing secret. Comma-separated to accept several during a rotation (Slack keeps the previous one valid for 24 h): new-secret,old-secret. Unset: Slack deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  SLACK_SIGNING_SECRET?: string;

  @Setting({
    description:
      'Comma-separated words or phrases that make a channel message a task for the TODO → Linear agent; matched as whole words, case-insensitively.',
  })
  @IsString()
  SLACK_TODO_KEYWORDS = 'TODO,follow up,action item,action:';
}
