import { Controller, HttpCode, Inject, Logger, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { secretList } from '../../config/load-config.js';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, SlackApprovals } from '../../connectors/slack/slack-approvals.js';
import { SlackConnector } from '../../connectors/slack/slack.connector.js';
import type { TimestampedHmacVerifier } from '../../core/index.js';
import { slackVerifier } from './slack-webhook.provider.js';
import { SlackConfig } from './slack.config.js';

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string };
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string };
  message?: { ts?: string };
  actions?: Array<{ action_id?: string; value?: string }>;
}

/**
 * `POST /webhooks/slack/interactions`: Approve / Reject clicks (form-encoded `payload=`), signed like
 * events and verified the same way. Answered at once (Slack allows 3 s); the decision then goes
 * through SlackApprovals, i.e. ActionService's exactly-once approval.
 */
@Controller('webhooks/slack')
export class SlackInteractionsController {
  private readonly logger = new Logger(SlackInteractionsController.name);
  private readonly verifier: TimestampedHmacVerifier;

  constructor(
    @Inject(SlackConfig) config: SlackConfig,
    private readonly approvals: SlackApprovals,
    private readonly slack: SlackConnector,
  ) {
    this.verifier = slackVerifier(secretList(config.SLACK_SIGNING_SECRET));
  }

  @Post('interactions')
  @HttpCode(200)
  async interaction(@Req() request: FastifyRequest): Promise<string> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!this.verifier.isConfigured()) throw new ServiceUnavailableException({ error: 'provider_not_configured', message: 'slack interactions are not configured on this server' });
    const verified = await this.verifier.verify(raw, request.headers);
    if (!verified.valid) throw new UnauthorizedException({ error: verified.reason, message: verified.message });

    let payload: BlockActionsPayload;
    try {
      payload = JSON.parse(new URLSearchParams(raw.toString('utf8')).get('payload') ?? 'null') as BlockActionsPayload;
    } catch {
      return '';
    }
    const click = payload?.type === 'block_actions' ? payload.actions?.find((a) => a.action_id === APPROVE_ACTION_ID || a.action_id === REJECT_ACTION_ID) : undefined;
    const userId = payload?.user?.id;
    const channel = payload?.channel?.id ?? payload?.container?.channel_id;
    const messageTs = payload?.message?.ts ?? payload?.container?.message_ts;
    if (!click?.value || !userId || !channel || !messageTs) return '';

    const decision = { actionId: click.value, decision: click.action_id === APPROVE_ACTION_ID ? ('approve' as const) : ('reject' as const), userId, channel, messageTs };
    void this.approvals
      .decide(decision)
      .then((answer) => (answer ? this.slack.postEphemeral(channel, userId, answer) : undefined))
      .catch((err: unknown) => this.logger.error(`Slack ${decision.decision} of action ${decision.actionId} failed: ${(err as Error).message}`));
    return '';
  }
}
