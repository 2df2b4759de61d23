import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { SlackConnector, slackMessageId, type PostedSlackMessage } from './slack.connector.js';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(200).describe('Channel ID (C0123ABCD) or name (#deploys) the bot is a member of.'),
  text: z.string().min(1).max(40_000).describe('Message text; Slack mrkdwn is allowed.'),
  thread_ts: z
    .string()
    .regex(/^\d+\.\d+$/, 'thread_ts looks like 1700000000.123456')
    .optional()
    .describe('Reply in the thread of this message timestamp instead of the channel.'),
});

/** `post_slack_message`: one message (or thread reply) as the Slack bot. */
@Injectable()
@AgentTool()
export class PostSlackMessageTool implements AgentTool<typeof input> {
  static readonly NAME = 'post_slack_message';
  readonly name = PostSlackMessageTool.NAME;
  readonly description = 'Post a message to a Slack channel, or reply in a thread when thread_ts is given.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(SlackConnector) private readonly slack: SlackConnector) {}

  unavailableReason(): string | null {
    return this.slack.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<PostedSlackMessage> {
    const a = parseToolArgs(this.name, input, args);
    return this.slack.postMessage({ channel: a.channel, text: a.text, threadTs: a.thread_ts }, context);
  }

  externalIds(result: PostedSlackMessage): string[] {
    return result.ts ? [slackMessageId(result.channel, result.ts)] : [];
  }
}
