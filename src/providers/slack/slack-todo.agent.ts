import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AgentDefinition } from '../../core/index.js';
import { CreateLinearIssueTool } from '../../connectors/linear/create-linear-issue.tool.js';
import type { SlackMessageEvent } from './slack-payload.schema.js';

// The answer's schema goes to the API as the output format; the descriptions are what the model reads.
const task = z.strictObject({
  title: z.string().min(1).max(60).describe('The task in a short imperative line, at most 60 characters.'),
  description: z.string().min(1).max(4000).describe('What has to be done and the context the message gives (who asked, why, links), in Markdown.'),
  assignee_mention: z
    .string()
    .nullable()
    .describe('The Slack mention of the person the task is for, exactly as written in the message (e.g. <@U024BE7LH>), or null when nobody is named.'),
  due_date: z.string().nullable().describe('The due date as YYYY-MM-DD when the message gives one (resolve "Friday" against the message date), else null.'),
  priority: z.enum(['urgent', 'high', 'medium', 'low', 'none']).describe('How urgent the message makes it; none when it does not say.'),
});
export type SlackTodo = z.infer<typeof task>;

/** The fields of a Linear issue made from a TODO message, checked by code. */
export interface TodoIssue {
  title: string;
  description: string;
  priority: SlackTodo['priority'];
  due_date?: string;
  /** The Slack user id of the assignee, when the message names one. */
  assigneeSlackId?: string;
}

const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

/** The TODO → Linear agent: extracts one task from a Slack message. */
@Injectable()
export class SlackTodoAgent {
  readonly definition: AgentDefinition<SlackTodo> = {
    name: 'slack-todo',
    system: [
      'You turn a Slack message that contains a task (a TODO, a follow-up, an action item) into one issue for a tracker.',
      'Keep the title short and concrete; put the context the message gives into the description.',
      'Only use what the message says: do not invent assignees, dates or priorities.',
    ].join('\n'),
    tools: [],
    // The issue is created by the handler's exactly-once step, never by the model itself.
    stepTools: [CreateLinearIssueTool.NAME],
    answer: task,
  };

  task(message: SlackMessageEvent, keyword: string): string {
    const sent = new Date(Number(message.ts.split('.')[0]) * 1000).toISOString().slice(0, 10);
    return `A message in Slack channel ${message.channel}, sent on ${sent} by <@${message.user}>, contains "${keyword}". Extract the task it describes. The message follows.`;
  }

  data(message: SlackMessageEvent): Record<string, unknown> {
    return { message: { text: message.text, author: `<@${message.user}>`, channel: message.channel, ts: message.ts } };
  }

  /** The answer, checked: a mention must be in the message, a date must be a date. */
  issue(answer: SlackTodo, message: SlackMessageEvent): TodoIssue {
    const mention = answer.assignee_mention?.trim() ?? '';
    const slackId = MENTION.exec(mention)?.[1];
    const due = answer.due_date && /^\d{4}-\d{2}-\d{2}$/.test(answer.due_date) && !Number.isNaN(Date.parse(answer.due_date)) ? answer.due_date : undefined;
    return {
      title: answer.title.trim().slice(0, 60),
      description: answer.description,
      priority: answer.priority,
      ...(due ? { due_date: due } : {}),
      ...(slackId && message.text.includes(`<@${slackId}`) ? { assigneeSlackId: slackId } : {}),
    };
  }
}
