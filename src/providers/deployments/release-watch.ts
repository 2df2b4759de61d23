import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DeployWatch, Prisma, WebhookEvent } from '../../generated/prisma/client.js';
import { ActionService, ExactlyOnceStep, type HandleOptions, type HandlerOutcome, PrismaService } from '../../core/index.js';
import { DeploymentRollbackAgent, plain, ROLLBACK_TOOL, type WatchEvidence } from './deployment-rollback.agent.js';
import { PrometheusClient } from './prometheus-client.js';
import { ReleaseWatchPlan } from './release-watch-plan.js';
import type { SmokeResult } from './smoke-checker.js';
import type { Deployment } from './deployment-payload.schema.js';
import { deploymentOf, type WatchedDeployment } from './watched-deployment.js';

export const DEPLOY_WATCH_QUEUE = 'deploy-watch';
export const SAMPLE_JOB = 'error-rate-sample';
export interface SampleJobData {
  eventId: string;
  sample: number;
}

const REPORTER = 'deploy-release-watch';
const SLACK_TOOL = 'post_slack_message';
type Sample = { at: string; value: number | null; error?: string };

/**
 * A deployment's release watch, its state in deploy_watches: smoke checks at once, then an
 * error-rate sample every DEPLOY_WATCH_INTERVAL_MS (a delayed job each, never a sleep) until
 * DEPLOY_WATCH_WINDOW_MS has passed; a failure ends it BREACHED or SMOKE_FAILED and requests one
 * rollback (keyed on the deployment id), a clean window HEALTHY. Every step is re-entrant: a retried
 * job or a restarted worker picks up from the row.
 */
@Injectable()
export class ReleaseWatch {
  constructor(
    private readonly prisma: PrismaService,
    private readonly plan: ReleaseWatchPlan,
    private readonly prometheus: PrometheusClient,
    private readonly agent: DeploymentRollbackAgent,
    private readonly step: ExactlyOnceStep,
    private readonly actions: ActionService,
    @InjectQueue(DEPLOY_WATCH_QUEUE) private readonly queue: Queue<SampleJobData>,
  ) {}

  /** The watch of this event, created (and older watches of the same service and environment cancelled) on first sight. */
  async open(event: WebhookEvent, deployment: WatchedDeployment): Promise<{ watch: DeployWatch; mine: boolean }> {
    const existing = await this.prisma.deployWatch.findUnique({ where: { deploymentId: deployment.deployment_id } });
    if (existing) return { watch: existing, mine: existing.eventId === event.id };
    const watch = await this.prisma.$transaction(async (tx) => {
      await tx.deployWatch.updateMany({
        where: { service: deployment.service, environment: deployment.environment, status: 'WATCHING' },
        data: { status: 'CANCELLED', cancelledBy: deployment.deployment_id, statusReason: `superseded by deployment ${deployment.deployment_id} (${deployment.version})` },
      });
      return tx.deployWatch.create({
        data: {
          eventId: event.id,
          deploymentId: deployment.deployment_id,
          service: deployment.service,
          environment: deployment.environment,
          windowEndsAt: new Date(Date.now() + this.plan.settings.DEPLOY_WATCH_WINDOW_MS),
        },
      });
    });
    return { watch, mine: true };
  }

  async recordSmoke(watch: DeployWatch, results: SmokeResult[]): Promise<DeployWatch | null> {
    const failed = results.filter((r) => !r.ok);
    const claimed = await this.prisma.deployWatch.updateMany({
      where: { eventId: watch.eventId, status: 'WATCHING' },
      data: {
        smokeChecks: results as unknown as Prisma.InputJsonValue,
        ...(failed.length > 0 && { status: 'SMOKE_FAILED', statusReason: `${failed.length} of ${results.length} smoke checks failed` }),
      },
    });
    return claimed.count === 1 ? this.prisma.deployWatch.findUnique({ where: { eventId: watch.eventId } }) : null;
  }

  /** Ends a watch that has no error-rate query: its smoke checks passed, that is all there is to watch. */
  async finishWithoutWatch(watch: DeployWatch): Promise<void> {
    await this.prisma.deployWatch.updateMany({
      where: { eventId: watch.eventId, status: 'WATCHING' },
      data: { status: 'HEALTHY', statusReason: 'smoke checks passed; no error-rate query configured' },
    });
  }

  /** Schedules sample `n` (a delayed job; its id makes a second scheduling of the same sample a no-op). */
  async schedule(eventId: string, sample: number): Promise<void> {
    await this.queue.add(SAMPLE_JOB, { eventId, sample }, { jobId: `${eventId}-s${sample}`, delay: this.plan.settings.DEPLOY_WATCH_INTERVAL_MS });
  }

  /** One error-rate sample of a watch (the job of SAMPLE_JOB). */
  async sample({ eventId, sample }: SampleJobData): Promise<string> {
    const watch = await this.prisma.deployWatch.findUnique({ where: { eventId }, include: { event: true } });
    if (!watch) return 'no such watch';
    if (watch.status !== 'WATCHING') return this.conclude(watch.event, watch).then((o) => o.status);
    const data = deploymentOf(watch.event);
    const query = this.plan.errorRateQueryFor(data.service, data.environment);
    const samples = watch.samples as unknown as Sample[];
    // A retried job whose sample was stored already does not sample twice.
    // An unreadable Prometheus is a sample without data (kept with its error), not a stuck watch.
    if (query && samples.length < sample) {
      const at = new Date().toISOString();
      samples.push(await this.prometheus.value(query).then((value) => ({ at, value }), (err: Error) => ({ at, value: null, error: err.message })));
    }
    const last = samples.at(-1);
    const breached = last?.value != null && last.value > this.plan.settings.DEPLOY_ERROR_RATE_THRESHOLD;
    // The window is over once its time has passed and it holds its planned samples (a late job, or a
    // worker restarted mid-window, delays the end rather than cutting the watch short).
    const planned = Math.max(1, Math.ceil(this.plan.settings.DEPLOY_WATCH_WINDOW_MS / this.plan.settings.DEPLOY_WATCH_INTERVAL_MS));
    const over = Date.now() >= watch.windowEndsAt.getTime() && (!query || samples.length >= planned);
    const status = breached ? 'BREACHED' : over ? 'HEALTHY' : 'WATCHING';
    const statusReason = breached
      ? `error rate ${last!.value} above ${this.plan.settings.DEPLOY_ERROR_RATE_THRESHOLD}`
      : over
        ? `no breach in ${samples.length} samples${noData(samples)}`
        : null;
    const updated = await this.prisma.deployWatch.updateMany({
      where: { eventId, status: 'WATCHING' },
      data: { samples: samples as unknown as Prisma.InputJsonValue, status, statusReason },
    });
    if (updated.count === 0) return 'cancelled meanwhile';
    if (status === 'WATCHING') {
      await this.schedule(eventId, sample + 1);
      return 'watching';
    }
    const done = await this.prisma.deployWatch.findUniqueOrThrow({ where: { eventId } });
    return (await this.conclude(watch.event, done)).status;
  }

  /**
   * Acts on a finished watch: a rollback (once) and its report for a failure, a success message for a
   * healthy one. Re-entrant: the event's handler comes back here when an operator's decision on the
   * rollback continues the event (nothing is watched again), and reports the decision once.
   */
  async conclude(event: WebhookEvent, watch: DeployWatch, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const deployment = await this.withPreviousVersion(deploymentOf(event), watch);
    if (watch.status === 'CANCELLED') return { status: 'ignored', reason: watch.statusReason ?? 'watch cancelled' };
    if (watch.status === 'WATCHING') return { status: 'succeeded' };
    if (watch.status === 'HEALTHY') {
      const samples = watch.samples as unknown as Sample[];
      const peak = Math.max(...samples.map((s) => s.value ?? 0), 0);
      await this.report(event, deployment, 'healthy', [
        `:white_check_mark: *${deployment.service}* ${deployment.version} in *${deployment.environment}* is healthy (deployment ${deployment.deployment_id}).`,
        `Smoke checks: ${describeSmoke(watch.smokeChecks as unknown as SmokeResult[])}. Error rate: ${samples.length} samples${noData(samples)}, peak ${peak} (threshold ${this.plan.settings.DEPLOY_ERROR_RATE_THRESHOLD}).`,
      ]);
      return { status: 'succeeded' };
    }

    const evidence: WatchEvidence = {
      trigger: watch.status === 'SMOKE_FAILED' ? 'smoke_checks_failed' : 'error_rate_above_threshold',
      smokeChecks: watch.smokeChecks as unknown as SmokeResult[],
      samples: watch.samples as unknown as Sample[],
      threshold: this.plan.settings.DEPLOY_ERROR_RATE_THRESHOLD,
    };
    const measured =
      evidence.trigger === 'smoke_checks_failed'
        ? `Smoke checks: ${describeSmoke(evidence.smokeChecks)}.`
        : `Error rate ${evidence.samples.at(-1)?.value} above ${evidence.threshold} after ${evidence.samples.length} samples.`;
    const headline = `:rotating_light: *${deployment.service}* ${deployment.version} in *${deployment.environment}* failed its release watch (deployment ${deployment.deployment_id})`;
    if (deployment.previous_version === null) {
      // A GitHub deployment with no previous_version in its payload and no healthy one before it: nothing to go back to.
      await this.report(event, deployment, 'rollback', [`${headline}: no rollback requested (no previous version known for ${deployment.service}/${deployment.environment}).`, measured]);
      return { status: 'succeeded' };
    }
    const rollbackTo: Deployment = { ...deployment, previous_version: deployment.previous_version };
    const key = rollbackKey(deployment.deployment_id);
    const outcome = await this.step.run({
      event,
      options,
      key,
      agent: this.agent.definition,
      tool: ROLLBACK_TOOL,
      defaultPolicy: this.plan.rollbackPolicyFor(deployment.environment),
      label: 'requesting the rollback',
      alreadyDone: `a rollback of deployment ${deployment.deployment_id} was already requested`,
      produce: async (ask) => {
        const answer = await ask(this.agent.task(rollbackTo, evidence), this.agent.data(rollbackTo, evidence));
        return { deployment: deployment.deployment_id, to_version: rollbackTo.previous_version, reason: this.agent.reason(answer) };
      },
    });
    const action = await this.actions.findByKey(key);
    if (!action) {
      // Agents off: no rollback is requested (the step asks the agent first), but people are told.
      if (outcome.status === 'ignored') await this.report(event, deployment, 'rollback', [`${headline}: no rollback requested (${outcome.reason}).`, measured]);
      return outcome;
    }
    const args = action.arguments as { reason?: string };
    const approved = action.approvedBy ? ` (approved by ${action.approvedBy})` : '';
    const what =
      action.status === 'EXECUTED'
        ? `rolled back to ${deployment.previous_version}${approved}`
        : action.status === 'PENDING_APPROVAL'
          ? `rollback to ${deployment.previous_version} waits for an operator's approval (action ${action.id})`
          : action.status === 'REJECTED' && action.rejectedBy
            ? `rollback to ${deployment.previous_version} rejected by ${action.rejectedBy}${action.rejectionReason ? ` (${plain(action.rejectionReason)})` : ''}; the deployment stays`
            : `rollback to ${deployment.previous_version} ${action.status.toLowerCase().replace('_', ' ')}${approved}${action.statusReason ? `: ${action.statusReason}` : ''}`;
    // The report of an operator's decision is a message of its own: the first one said the rollback
    // waited, and this runs again when the decision continues the event.
    const decided = action.approvedBy !== null || action.rejectedBy !== null;
    await this.report(event, deployment, decided ? 'rollback-decided' : 'rollback', [
      `${headline}: ${what}.`,
      measured,
      `Assessment (AI-written): ${plain(args.reason ?? '')}`,
    ]);
    return outcome;
  }

  /**
   * The deployment with its previous version: the one its event names, else (GitHub mode) the version
   * of the last watch of the same service and environment that ended HEALTHY before this watch was
   * opened. Stable for the watch's life: opening it cancelled every older watch still running, so no
   * older one can turn healthy later. Null when there is none: a failure then requests no rollback.
   */
  async withPreviousVersion(deployment: WatchedDeployment, watch: Pick<DeployWatch, 'eventId' | 'createdAt'>): Promise<WatchedDeployment> {
    if (deployment.previous_version !== null) return deployment;
    const previous = await this.prisma.deployWatch.findFirst({
      where: { service: deployment.service, environment: deployment.environment, status: 'HEALTHY', createdAt: { lt: watch.createdAt }, eventId: { not: watch.eventId } },
      orderBy: { createdAt: 'desc' },
      include: { event: { select: { eventType: true, payload: true } } },
    });
    return { ...deployment, previous_version: previous ? deploymentOf(previous.event).version : null };
  }

  private async report(event: WebhookEvent, deployment: WatchedDeployment, kind: string, lines: string[]): Promise<void> {
    const outcome = await this.actions.execute({
      eventId: event.id,
      agent: REPORTER,
      allowedTools: [SLACK_TOOL],
      tool: SLACK_TOOL,
      args: { channel: this.plan.settings.DEPLOY_SLACK_CHANNEL, text: lines.join('\n') },
      dedupeKey: `deploy-watch:${deployment.deployment_id}:${kind}`,
    });
    if (outcome.kind === 'recorded' && outcome.action.status === 'FAILED') throw new Error(`reporting to Slack failed: ${outcome.action.error}`);
  }
}

export function rollbackKey(deploymentId: string): string {
  return `deployment-rollback:${deploymentId}`;
}

function describeSmoke(results: SmokeResult[]): string {
  if (results.length === 0) return 'none configured';
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return `all ${results.length} passed`;
  return `${failed.length} of ${results.length} failed (${failed.map((r) => `${plain(r.url)}: ${r.detail}`).join('; ')})`;
}

function noData(samples: Sample[]): string {
  const empty = samples.filter((s) => s.value === null).length;
  return empty ? ` (${empty} without data)` : '';
}
