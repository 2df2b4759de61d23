import { Inject, Injectable } from '@nestjs/common';
import type { AgentAction, WebhookEvent } from '../../generated/prisma/client.js';
import { GithubConnector } from '../../connectors/github/github.connector.js';
import { GithubResolveSecretScanningAlertTool } from '../../connectors/github/github-resolve-secret-scanning-alert.tool.js';
import { CredentialsConnector } from '../../connectors/credentials/credentials.connector.js';
import { UpdateSlackMessageTool } from '../../connectors/slack/update-slack-message.tool.js';
import { RevokeCredentialTool } from './revoke-credential.tool.js';
import { RotateCredentialTool } from './rotate-credential.tool.js';
import { ActionService, ExactlyOnceStep, type HandleOptions, type HandlerOutcome, PermanentError, RateLimitedError, WebhookEventHandler } from '../../core/index.js';
import { type SecretScanningAlertPayload, secretScanningAlertPayloadSchema } from './security-alert.payload.js';
import { type LeakedCredential, SecurityResponseAgent } from './security-response.agent.js';
import { SECURITY } from './security-webhook.provider.js';
import { SecurityConfig } from './security.config.js';

const RESPONDED = new Set(['secret_scanning_alert.created', 'secret_scanning_alert.reopened']);
/** Who approves the destructive steps of a secret type listed in SECURITY_AUTO_RESPONSE_SECRET_TYPES. */
export const AUTO_APPROVER = 'security-policy:SECURITY_AUTO_RESPONSE_SECRET_TYPES';

/**
 * The response to a leaked credential, each step exactly once under a key of its own
 * (`security-response:<repo>#<alert>[:reopened@<event>]:<step>`):
 * 1. a Linear incident (the agent assesses severity and writes the prose; code writes the facts);
 * 2. revoke_credential and 3. rotate_credential, destructive: PENDING_APPROVAL unless the secret
 *    type is configured auto (then approved here, as AUTO_APPROVER);
 * 4. one Slack message saying what was done and what waits for approval;
 * 5. once revoke and rotate have EXECUTED, the GitHub alert resolved as revoked;
 * 6. once operators have decided every destructive step that waited, that Slack message updated in
 *    place (chat.update) with the outcome (approved and done, or rejected and the alert left open):
 *    the alert has one message, whatever the policy.
 * Each operator decision continues the event (the core's EventContinuation runs this handler again):
 * the run finds steps 1–4 done, and does 5 and 6 when they are due.
 * The secret never passes through here: the tools fetch it from GitHub themselves; this handler
 * sees its fingerprint.
 */
@Injectable()
@WebhookEventHandler()
export class SecurityAlertHandler implements WebhookEventHandler {
  readonly name = 'security-response';
  readonly provider = SECURITY;
  private readonly services: ReadonlyMap<string, string>;
  private readonly autoTypes: ReadonlySet<string>;

  constructor(
    @Inject(SecurityConfig) private readonly settings: SecurityConfig,
    private readonly agent: SecurityResponseAgent,
    private readonly step: ExactlyOnceStep,
    private readonly actions: ActionService,
    private readonly github: GithubConnector,
    private readonly credentials: CredentialsConnector,
  ) {
    this.services = pairs(settings.SECURITY_SECRET_TYPE_SERVICES);
    this.autoTypes = new Set((settings.SECURITY_AUTO_RESPONSE_SECRET_TYPES ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  }

  handles(eventType: string): boolean {
    return RESPONDED.has(eventType);
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const payload: SecretScanningAlertPayload = secretScanningAlertPayloadSchema.parse(event.payload);
    const { alert, repository } = payload;
    const [owner, repo] = repository.full_name.split('/');
    const service = this.services.get(alert.secret_type) ?? 'unknown';
    const canRevoke = service !== 'unknown' && this.credentials.revokeUnavailable(service) === null;
    const canRotate = service !== 'unknown' && this.credentials.rotateUnavailable(service) === null;
    const leak: LeakedCredential = {
      repository: repository.full_name,
      alertNumber: alert.number,
      alertUrl: alert.html_url ?? `https://github.com/${repository.full_name}/security/secret-scanning/${alert.number}`,
      secretType: alert.secret_type,
      secretTypeName: alert.secret_type_display_name ?? alert.secret_type,
      service,
      fingerprint: await this.fingerprint(owner, repo, alert.number),
      response: !canRevoke ? 'manual' : this.autoTypes.has(alert.secret_type) ? 'auto' : 'approval',
    };
    const reopened = payload.action === 'reopened' ? `:reopened@${event.id}` : '';
    const key = (step: string) => `security-response:${leak.repository}#${leak.alertNumber}${reopened}:${step}`;

    // 1. The incident, from the agent's assessment.
    const ticketed = await this.step.run({
      event,
      options,
      key: key('ticket'),
      agent: this.agent.definition,
      tool: 'create_linear_issue',
      label: 'opening the incident',
      alreadyDone: `${leak.repository} alert #${leak.alertNumber} already has a response`,
      produce: async (ask) => this.agent.ticket(await ask(this.agent.task(leak), this.agent.data(alert, leak)), leak),
    });
    if (ticketed.status === 'ignored') return ticketed;
    const ticket = options.repeatActions || options.dryRun ? null : await this.actions.findByKey(key('ticket'));

    // 2, 3. The destructive steps.
    const handle = { service, secret_type: leak.secretType, owner, repo, alert_number: leak.alertNumber };
    const revoked = canRevoke ? await this.act(event, options, RevokeCredentialTool.NAME, handle, key('revoke'), leak, 'revoking the credential') : null;
    const rotated = canRotate ? await this.act(event, options, RotateCredentialTool.NAME, handle, key('rotate'), leak, 'rotating the credential') : null;

    // 4. One Slack message.
    const channel = this.settings.SECURITY_SLACK_CHANNEL;
    const alerted = await this.act(event, options, 'post_slack_message', { channel, text: slackText(leak, ticket, revoked, rotated) }, key('slack'), leak, 'alerting Slack');

    // 5. Resolve the alert once everything it stands for is done.
    const done = revoked?.status === 'EXECUTED' && (rotated === null || rotated.status === 'EXECUTED');
    let resolved: AgentAction | null = null;
    if (done) {
      resolved = await this.act(
        event,
        options,
        GithubResolveSecretScanningAlertTool.NAME,
        { owner, repo, alert_number: leak.alertNumber, comment: `Revoked${rotated ? ' and rotated' : ''} by Hookwise (fingerprint ${leak.fingerprint}).` },
        key('resolve'),
        leak,
        'resolving the alert',
      );
    }

    // 6. Once operators have decided every destructive step (this runs again after each decision:
    //    the event continues), the alert's one Slack message is updated in place to say what came of it.
    //    A step still waiting, or approved and executing right now (its approval's own continuation
    //    follows once it has run), leaves the outcome to a later run: it is reported once, complete.
    const steps = [revoked, rotated].filter((a): a is AgentAction => a !== null);
    if (alerted.status === 'EXECUTED' && steps.some(decidedByOperator) && steps.every(settled)) {
      const posted = alerted.result as { channel?: string; ts?: string } | null;
      // Slack answers every posted message with its ts; without one there is no message to update.
      if (!posted?.ts) throw new PermanentError('reporting the outcome to Slack: the alert\'s Slack message has no ts to update');
      const message = { channel: posted.channel ?? channel, ts: posted.ts, text: outcomeText(leak, ticket, revoked, rotated, resolved) };
      await this.act(event, options, UpdateSlackMessageTool.NAME, message, key('slack-outcome'), leak, 'reporting the outcome to Slack');
    }
    return { status: 'succeeded' };
  }

  /** The fingerprint of the leaked secret (read from GitHub, the secret itself dropped at once). */
  private async fingerprint(owner: string, repo: string, alertNumber: number): Promise<string> {
    if (this.github.unavailableReason()) return `unknown (${this.github.unavailableReason()})`;
    return (await this.github.secretScanningAlert(owner, repo, alertNumber)).fingerprint;
  }

  private async act(event: WebhookEvent, options: HandleOptions, tool: string, args: unknown, dedupeKey: string, leak: LeakedCredential, label: string): Promise<AgentAction> {
    const replay = Boolean(options.repeatActions || options.dryRun);
    const outcome = await this.actions.execute({
      eventId: event.id,
      agent: this.agent.definition.name,
      allowedTools: [tool],
      tool,
      args,
      dedupeKey,
      dryRun: options.dryRun,
      replayId: replay ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`${label}: the arguments do not match ${tool}'s schema: ${outcome.error}`);
    let action = outcome.action;
    if (action.status === 'PENDING_APPROVAL' && leak.response === 'auto' && action.eventId === event.id) {
      action = await this.actions.approve(action.id, AUTO_APPROVER, { via: 'policy', withinRun: true });
    }
    if (action.status === 'FAILED') {
      const message = `${label} failed: ${action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(message, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(message) : new Error(message);
    }
    return action;
  }
}

function pairs(setting: string): ReadonlyMap<string, string> {
  return new Map(
    setting
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(([from, to]) => from && to)
      .map(([from, to]) => [from, to]),
  );
}

function stepState(name: string, action: AgentAction | null): string {
  if (!action) return `${name}: not configured for this service, do it by hand`;
  switch (action.status) {
    case 'EXECUTED':
      return `${name}: done`;
    case 'PENDING_APPROVAL':
      return `${name}: waiting for approval (action ${action.id})`;
    case 'DRY_RUN':
      return `${name}: dry run only (${action.statusReason ?? 'policy'})`;
    default:
      return `${name}: ${action.status.toLowerCase()}`;
  }
}

/** Neither waiting for a decision nor running: what the outcome says of it will not change. */
function settled(action: AgentAction): boolean {
  return action.status !== 'PENDING_APPROVAL' && action.status !== 'EXECUTING';
}

/** Approved or rejected by a person (not by the auto policy of SECURITY_AUTO_RESPONSE_SECRET_TYPES). */
function decidedByOperator(action: AgentAction): boolean {
  return action.rejectedBy !== null || (action.approvedBy !== null && action.approvedBy !== AUTO_APPROVER);
}

function decidedState(name: string, action: AgentAction | null): string {
  if (action?.status === 'REJECTED') return `${name}: rejected by ${action.rejectedBy}${action.rejectionReason ? ` (${plain(action.rejectionReason)})` : ''}`;
  const state = stepState(name, action);
  return action?.approvedBy && action.approvedBy !== AUTO_APPROVER ? `${state} (approved by ${action.approvedBy})` : state;
}

/** The alert's Slack message once every step is decided: what it said first, with the decisions and the outcome. */
function outcomeText(leak: LeakedCredential, ticket: AgentAction | null, revoked: AgentAction | null, rotated: AgentAction | null, resolved: AgentAction | null): string {
  const alert =
    resolved?.status === 'EXECUTED'
      ? 'the alert is resolved on GitHub as revoked'
      : revoked?.status === 'EXECUTED'
        ? 'the credential is revoked, but without its replacement the alert stays open on GitHub'
        : 'the credential was not revoked and may still be valid: the alert stays open on GitHub, handle it by hand';
  return [
    headline(leak),
    `Fingerprint \`${leak.fingerprint}\``,
    `• ${decidedState('Revoke', revoked)}`,
    `• ${decidedState('Rotate', rotated)}`,
    incidentLine(ticket),
    `*Decided:* ${alert}.`,
  ].join('\n');
}

/** A reason typed by a person, made harmless for Slack: no <!channel>, <@user> or links. */
function plain(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}

function slackText(leak: LeakedCredential, ticket: AgentAction | null, revoked: AgentAction | null, rotated: AgentAction | null): string {
  return [headline(leak), `Fingerprint \`${leak.fingerprint}\``, `• ${stepState('Revoke', revoked)}`, `• ${stepState('Rotate', rotated)}`, incidentLine(ticket)].join('\n');
}

function headline(leak: LeakedCredential): string {
  return `:rotating_light: Leaked *${leak.secretType}* (${leak.service}) in *${leak.repository}*, alert #${leak.alertNumber}: ${leak.alertUrl}`;
}

function incidentLine(ticket: AgentAction | null): string {
  const issue = (ticket?.result as { url?: string; identifier?: string } | null) ?? null;
  return issue?.url ? `• Incident: ${issue.identifier ?? ''} ${issue.url}` : `• Incident: ${ticket ? ticket.status.toLowerCase() : 'not opened'}`;
}
