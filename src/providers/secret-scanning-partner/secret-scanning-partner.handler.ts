import { Inject, Injectable } from '@nestjs/common';
import type { AgentAction, WebhookEvent } from '../../generated/prisma/client.js';
import { CreateLinearIssueTool } from '../../connectors/linear/create-linear-issue.tool.js';
import { PostSlackMessageTool } from '../../connectors/slack/post-slack-message.tool.js';
import { ActionService, type HandleOptions, type HandlerOutcome, PermanentError, RateLimitedError, WebhookEventHandler } from '../../core/index.js';
import { type StoredMatch, storedMatchesSchema } from './partner-match.payload.js';
import { MATCH_EVENT, SECRET_SCANNING_PARTNER } from './secret-scanning-partner-webhook.provider.js';
import { SecretScanningPartnerConfig } from './secret-scanning-partner.config.js';

/** The name the actions are recorded under (no model is asked: the facts are all there is to say). */
const RESPONDER = 'secret-scanning-partner';

/**
 * Per match of a partner alert, each once under its own key
 * (`secret-scanning-partner:<fingerprint>@<url>:<step>`, so the same token at the same place reported
 * again, in this delivery or another, is not announced twice):
 * 1. a Linear incident (urgent: a token found in public code) with type, fingerprint, url, source;
 * 2. one Slack message to SECRET_SCANNING_PARTNER_SLACK_CHANNEL saying the same.
 * The token is not revoked here: it was never stored (the ledger holds its fingerprint), so nothing
 * after ingest has it. See the README for why and what the incident asks of the token's issuer.
 */
@Injectable()
@WebhookEventHandler()
export class SecretScanningPartnerHandler implements WebhookEventHandler {
  readonly name = 'secret-scanning-partner-response';
  readonly provider = SECRET_SCANNING_PARTNER;

  constructor(
    @Inject(SecretScanningPartnerConfig) private readonly settings: SecretScanningPartnerConfig,
    private readonly actions: ActionService,
  ) {}

  handles(eventType: string): boolean {
    return eventType === MATCH_EVENT;
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const matches = storedMatchesSchema.parse(event.payload);
    for (const match of matches) {
      const key = (step: string) => `${RESPONDER}:${match.token_fingerprint}@${match.url}:${step}`;
      const ticket = await this.act(event, options, CreateLinearIssueTool.NAME, incident(match), key('ticket'), 'opening the incident');
      const issue = ticket.status === 'EXECUTED' ? ((ticket.result as { url?: string; identifier?: string } | null) ?? null) : null;
      await this.act(event, options, PostSlackMessageTool.NAME, { channel: this.settings.SECRET_SCANNING_PARTNER_SLACK_CHANNEL, text: slackText(match, issue) }, key('slack'), 'alerting Slack');
    }
    return { status: 'succeeded' };
  }

  private async act(event: WebhookEvent, options: HandleOptions, tool: string, args: unknown, dedupeKey: string, label: string): Promise<AgentAction> {
    const replay = Boolean(options.repeatActions || options.dryRun);
    const outcome = await this.actions.execute({
      eventId: event.id,
      agent: RESPONDER,
      allowedTools: [tool],
      tool,
      args,
      dedupeKey,
      dryRun: options.dryRun,
      replayId: replay ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`${label}: the arguments do not match ${tool}'s schema: ${outcome.error}`);
    const { action } = outcome;
    if (action.status === 'FAILED') {
      const message = `${label} failed: ${action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(message, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(message) : new Error(message);
    }
    return action;
  }
}

function incident(match: StoredMatch) {
  return {
    title: `[critical] ${match.type} token found in public code (${match.token_fingerprint})`.slice(0, 255),
    priority: 'urgent' as const,
    description: [
      'GitHub secret scanning (partner program) found one of our tokens in public code.',
      '',
      `- **Type**: ${match.type}`,
      `- **Fingerprint**: \`${match.token_fingerprint}\` (sha256: + the first 12 hex digits of the token's SHA-256)`,
      `- **Found at**: ${match.url}`,
      `- **Source**: ${match.source ?? 'not given'}`,
      '',
      'Hookwise does not keep the token, and did not revoke it. Find the token whose SHA-256 starts with the',
      'fingerprint among the ones issued, revoke it, and tell its owner.',
    ].join('\n'),
  };
}

function slackText(match: StoredMatch, issue: { url?: string; identifier?: string } | null): string {
  return [
    `:rotating_light: A *${match.type}* token (fingerprint \`${match.token_fingerprint}\`) was found in public code: ${match.url}`,
    `Source: ${match.source ?? 'not given'}. Not revoked automatically: revoke it where it was issued.`,
    issue?.url ? `Incident: ${issue.identifier ?? ''} ${issue.url}` : 'Incident: not opened',
  ].join('\n');
}
