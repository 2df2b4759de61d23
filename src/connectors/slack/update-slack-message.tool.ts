import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs } from '../../core/index.js';
import { SlackConnector } from './slack.connector.js';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(200).describe('Channel ID of the message, as chat.postMessage answered it (C0123ABCD).'),
  ts: z
    .string()
    .regex(/^\d+\.\d+$/, 'ts looks like 1700000000.123456')
    .describe('Timestamp of the message to update.'),
  text: z.string().min(1).max(40_000).describe('The new message text; Slack mrkdwn is allowed.'),
});

export interface UpdatedSlackMessage {
  channel: string;
  ts: string;
}

/**
 * `update_slack_message`: replaces the text of a message the bot posted (chat.update), so that a
 * message can show how things ended instead of a second message saying so. Updating to the same
 * text again leaves the same message: a retried action needs no duplicate check.
 */
@Injectable()
@AgentTool()
export class UpdateSlackMessageTool implements AgentTool<typeof input> {
  static readonly NAME = 'update_slack_message';
  readonly name = UpdateSlackMessageTool.NAME;
  readonly description = 'Replace the text of a Slack message the bot posted earlier (given its channel ID and ts).';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(SlackConnector) private readonly slack: SlackConnector) {}

  unavailableReason(): string | null {
    return this.slack.unavailableReason();
  }

  async execute(args: z.infer<typeof input>): Promise<UpdatedSlackMessage> {
    const a = parseToolArgs(this.name, input, args);
    await this.slack.updateMessage(a.channel, a.ts, a.text);
    return { channel: a.channel, ts: a.ts };
  }
}
