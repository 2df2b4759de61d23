import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { type HandleOptions, type HandlerOutcome, WebhookEventHandler } from '../../core/index.js';
import { DEPLOYMENT_CREATED, DEPLOYMENTS, GITHUB_DEPLOYMENT_LIVE } from './deployments-webhook.provider.js';
import { ReleaseWatch } from './release-watch.js';
import { ReleaseWatchPlan } from './release-watch-plan.js';
import { SmokeChecker } from './smoke-checker.js';
import { deploymentOf } from './watched-deployment.js';

/**
 * Starts the release watch of a deployment: opens its row (cancelling older watches of the same
 * service and environment), runs the smoke checks at once, and either concludes (a failed check:
 * rollback) or schedules the first error-rate sample. Re-entrant: a retried job finds the row.
 */
@Injectable()
@WebhookEventHandler()
export class DeploymentWatchHandler implements WebhookEventHandler {
  readonly name = 'deployment-watch';
  readonly provider = DEPLOYMENTS;

  constructor(
    private readonly watch: ReleaseWatch,
    private readonly plan: ReleaseWatchPlan,
    private readonly smoke: SmokeChecker,
  ) {}

  handles(eventType: string): boolean {
    // A generic deployment.created, or (GitHub mode) a deployment GitHub reports live.
    return eventType === DEPLOYMENT_CREATED || eventType === GITHUB_DEPLOYMENT_LIVE;
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const deployment = deploymentOf(event);
    const { watch, mine } = await this.watch.open(event, deployment);
    if (!mine) return { status: 'ignored', reason: `deployment ${deployment.deployment_id} is already watched (event ${watch.eventId})` };
    if (watch.status !== 'WATCHING') return this.watch.conclude(event, watch, options);

    // A retried job whose smoke checks were recorded carries on from there (no second round of checks).
    let checked: typeof watch | null = watch;
    if ((watch.smokeChecks as unknown[]).length === 0) {
      const results = await this.smoke.run(deployment.urls, this.plan.smokeChecksFor(deployment.service, deployment.environment));
      checked = await this.watch.recordSmoke(watch, results);
    }
    if (!checked) return { status: 'ignored', reason: `the watch of ${deployment.deployment_id} was cancelled by a newer deployment` };
    if (checked.status !== 'WATCHING') return this.watch.conclude(event, checked, options);
    // No error-rate query configured: the smoke checks were the whole watch.
    if (!this.plan.errorRateQueryFor(deployment.service, deployment.environment)) {
      await this.watch.finishWithoutWatch(checked);
      return this.watch.conclude(event, { ...checked, status: 'HEALTHY' }, options);
    }
    await this.watch.schedule(event.id, (checked.samples as unknown[]).length + 1);
    return { status: 'succeeded' };
  }
}
