import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { CreateLinearIssueTool } from '../../connectors/linear/create-linear-issue.tool.js';
import type { CreatedLinearIssue } from '../../connectors/linear/linear.connector.js';
import { PostSlackMessageTool } from '../../connectors/slack/post-slack-message.tool.js';
import { SlackConnector, slackMessageId } from '../../connectors/slack/slack.connector.js';
import { ActionService, ExactlyOnceStep, type HandleOptions, type HandlerOutcome, PermanentError, RateLimitedError, WebhookEventHandler } from '../../core/index.js';
import { slackMessageEventSchema, type SlackEnvelope, type SlackMessageEvent } from './slack-payload.schema.js';
import { slackIgnoreReason } from './slack-ignore-reason.js';
import { SlackTodoAgent } from './slack-todo.agent.js';
import { SlackTodoKeywords } from './slack-todo-keywords.js';
import { SLACK } from './slack-webhook.provider.js';
import { SlackConfig } from './slack.config.js';

/**
 * A channel message with a TODO keyword → one Linear issue (made from the agent's answer) and one
 * reply in the message's thread naming it. Both are keyed on channel + message ts, so redeliveries,
 * retries, replays and a crash between Linear's answer and our record (Linear takes the id derived
 * from the key, and "already exists" is found) never open a second issue nor post a second reply.
 */
@Injectable()
@WebhookEventHandler()
export class SlackTodoHandler implements WebhookEventHandler {
  readonly name = 'slack-todo';
  readonly provider = SLACK;
  private readonly keywords: SlackTodoKeywords;

  constructor(
    @Inject(SlackConfig) settings: SlackConfig,
    private readonly agent: SlackTodoAgent,
    private readonly step: ExactlyOnceStep,
    private readonly actions: ActionService,
    private readonly slack: SlackConnector,
  ) {
    this.keywords = new SlackTodoKeywords(settings.SLACK_TODO_KEYWORDS);
  }

  handles(eventType: string): boolean {
    return eventType === 'message';
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const envelope = event.payload as unknown as SlackEnvelope;
    // Decided at ingest too; asked again for replays and for events recorded under other keywords.
    const ignore = slackIgnoreReason(envelope, this.keywords);
    if (ignore) return { status: 'ignored', reason: ignore };
    const parsed = slackMessageEventSchema.safeParse(envelope.event);
    if (!parsed.success) return { status: 'ignored', reason: 'not a channel message the TODO agent can read' };
    const message = parsed.data;
    // Our own message, even one that came back without our app id or marker: an action of ours posted this ts.
    const ours = await this.actions.findByExternalId(slackMessageId(message.channel, message.ts));
    if (ours) return { status: 'ignored', reason: `self_caused: posted by action ${ours.id} (${ours.tool}, event ${ours.eventId})` };
    const keyword = this.keywords.match(message.text)!;
    const where = `${message.channel}/${message.ts}`;

    const issueKey = `slack-todo:${where}`;
    const step = await this.step.run({
      event,
      options,
      key: issueKey,
      agent: this.agent.definition,
      tool: CreateLinearIssueTool.NAME,
      label: 'creating the Linear issue',
      alreadyDone: `the message ${where} already has its Linear issue`,
      produce: async (ask) => {
        const permalink = await this.slack.permalink(message.channel, message.ts);
        const todo = this.agent.issue(await ask(this.agent.task(message, keyword), this.agent.data(message)), message);
        const email = todo.assigneeSlackId ? await this.slack.userEmail(todo.assigneeSlackId) : null;
        return {
          title: todo.title,
          description: `${todo.description}\n\n---\nSource: [Slack message](${permalink}) by <@${message.user}>${todo.assigneeSlackId ? `, for <@${todo.assigneeSlackId}>` : ''}`,
          priority: todo.priority,
          ...(todo.due_date ? { due_date: todo.due_date } : {}),
          ...(email ? { assignee_email: email } : {}),
        };
      },
    });
    if (step.status === 'ignored') return step;
    return this.reply(event, message, issueKey, options);
  }

  /** The thread reply naming the issue, once per message; only for an issue that exists (not a dry run). */
  private async reply(event: WebhookEvent, message: SlackMessageEvent, issueKey: string, options: HandleOptions): Promise<HandlerOutcome> {
    const issueAction = await this.actions.findByKey(issueKey);
    if (issueAction?.status !== 'EXECUTED') return { status: 'succeeded' };
    const issue = issueAction.result as unknown as CreatedLinearIssue;
    const outcome = await this.actions.execute({
      eventId: event.id,
      runId: issueAction.runId,
      agent: this.agent.definition.name,
      allowedTools: [PostSlackMessageTool.NAME],
      tool: PostSlackMessageTool.NAME,
      args: { channel: message.channel, thread_ts: message.thread_ts ?? message.ts, text: `Created <${issue.url}|${issue.identifier}>: ${issue.title}` },
      dedupeKey: `slack-todo-reply:${message.channel}/${message.ts}`,
      dryRun: options.dryRun,
      replayId: options.repeatActions || options.dryRun ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`replying in the thread: ${outcome.error}`);
    if (outcome.action.status === 'FAILED') {
      const text = `replying in the thread failed: ${outcome.action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(text, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(text) : new Error(text);
    }
    return { status: 'succeeded' };
  }
}
