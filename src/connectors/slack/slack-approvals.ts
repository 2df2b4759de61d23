import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import type { AgentAction } from '../../generated/prisma/client.js';
import { ActionService } from '../../core/index.js';
import { SlackConnectorConfig } from './slack-connector.config.js';
import { SlackConnector } from './slack.connector.js';

export const APPROVE_ACTION_ID = 'hookwise_approve';
export const REJECT_ACTION_ID = 'hookwise_reject';

export interface SlackDecision {
  actionId: string;
  decision: 'approve' | 'reject';
  userId: string;
  channel: string;
  messageTs: string;
}

/**
 * Approvals from Slack: an action that starts waiting for approval is posted to
 * APPROVALS_SLACK_CHANNEL with Approve / Reject buttons; a click from a user in
 * APPROVER_SLACK_USER_IDS goes through ActionService.approve / reject (the same exactly-once path as
 * the admin API, which also writes it to the audit trail as `slack:<user id>` and continues the
 * action's event), and the message is updated with who decided, when, and the outcome.
 */
@Injectable()
export class SlackApprovals implements OnModuleInit {
  private readonly logger = new Logger(SlackApprovals.name);

  constructor(
    @Inject(SlackConnectorConfig) private readonly settings: SlackConnectorConfig,
    private readonly slack: SlackConnector,
    private readonly actions: ActionService,
  ) {}

  onModuleInit(): void {
    if (this.settings.APPROVALS_SLACK_CHANNEL) this.actions.onPendingApproval((action) => this.ask(action));
  }

  get approvers(): ReadonlySet<string> {
    return new Set((this.settings.APPROVER_SLACK_USER_IDS ?? '').split(',').map((id) => id.trim()).filter(Boolean));
  }

  async ask(action: AgentAction): Promise<void> {
    if (this.slack.unavailableReason()) return;
    const text = `Approval needed: ${action.agent} wants to call ${action.tool}`;
    await this.slack.postBlocks(this.settings.APPROVALS_SLACK_CHANNEL!, text, requestBlocks(action, text));
  }

  /** Applies a click. Returns the text of an ephemeral answer for the user, or null when the message was updated. */
  async decide(click: SlackDecision): Promise<string | null> {
    if (!this.approvers.has(click.userId)) return 'You are not allowed to approve or reject Hookwise actions.';
    const who = `slack:${click.userId}`;
    let action: AgentAction;
    try {
      action =
        click.decision === 'approve'
          ? await this.actions.approve(click.actionId, who, { via: 'slack' })
          : await this.actions.reject(click.actionId, who, `rejected in Slack by <@${click.userId}>`, { via: 'slack' });
    } catch (err) {
      if (err instanceof NotFoundException) return 'Hookwise knows no such action.';
      if (err instanceof ConflictException) return `This action was already decided: ${(err.getResponse() as { message?: string }).message ?? ''}`;
      throw err;
    }
    const outcome = click.decision === 'approve' ? `approved by <@${click.userId}>: ${action.status}` : `rejected by <@${click.userId}>`;
    const when = new Date().toISOString();
    const text = `${action.tool} ${outcome} at ${when}`;
    try {
      await this.slack.updateMessage(click.channel, click.messageTs, text, decidedBlocks(action, text));
    } catch (err) {
      this.logger.warn(`could not update the approval message of action ${action.id}: ${(err as Error).message}`);
    }
    return null;
  }
}

function requestBlocks(action: AgentAction, text: string): unknown[] {
  const args = JSON.stringify(action.arguments);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Agent*\n${action.agent}` },
        { type: 'mrkdwn', text: `*Tool*\n${action.tool}` },
        { type: 'mrkdwn', text: `*Event*\n${action.eventId}` },
        { type: 'mrkdwn', text: `*Reason*\n${action.statusReason ?? '—'}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Arguments*\n\`\`\`${args.length > 500 ? `${args.slice(0, 500)}…` : args}\`\`\`` } },
    {
      type: 'actions',
      block_id: `hookwise_approval:${action.id}`,
      elements: [
        { type: 'button', action_id: APPROVE_ACTION_ID, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: action.id },
        { type: 'button', action_id: REJECT_ACTION_ID, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value: action.id },
      ],
    },
  ];
}

function decidedBlocks(action: AgentAction, text: string): unknown[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Agent ${action.agent} · event ${action.eventId} · action ${action.id}` }] },
  ];
}
