import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { EventLedger } from '../events/event-ledger.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { ConnectionTroubleLog } from '../queue/connection-trouble-log.js';
import { PeriodicTask } from '../scheduling/periodic-task.js';
import { JobDispatcher } from './job-dispatcher.js';
import { WebhookProviderRegistry } from './webhook-provider.registry.js';

/** Rows younger than this are still in the dispatcher's hands; the relay leaves them alone. */
const GRACE_MS = 2000;
const BATCH = 500;

export interface RelayPass {
  /** RECEIVED rows that had never reached the queue. */
  enqueued: number;
  /** Rows whose job had vanished from Redis, enqueued again. */
  requeued: number;
  /** Rows whose job had failed without the ledger recording it, retried. */
  retried: number;
  /** Rows whose job had failed for good after their last attempt, without the ledger recording it: marked DEAD. */
  gaveUp: number;
}

/**
 * The outbox relay. Each pass (at start, then every OUTBOX_RELAY_INTERVAL_MS):
 * - enqueues ledger rows that were committed but never reached the queue (Redis was down, or the
 *   process died between commit and enqueue);
 * - reconciles rows that should have a job (QUEUED, PROCESSING, FAILED) and have not moved for
 *   OUTBOX_RECONCILE_AFTER_MS: a job missing from Redis (restarted without persistence) is added
 *   again, a job that failed while the database was down (so the row never became DEAD) is retried,
 *   unless the row has had its JOB_ATTEMPTS already: it is DEAD then. Every run claims the row
 *   (attempts + 1), so a payload that kills its worker each time (BullMQ fails the job once it has
 *   stalled too often) ends DEAD instead of killing a worker every reconciliation for ever.
 *   One page per pass, continuing where the last one stopped, so a large backlog is covered in turn.
 * Running it in several processes is safe: jobId = ledger id, and the processor claims rows.
 * It only touches providers this process receives (rows of a provider removed from the
 * configuration stay in the ledger, untouched, instead of stopping every pass).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  /** Passes fail every interval while Redis or PostgreSQL is away: logged once per outage. */
  private readonly failures = new ConnectionTroubleLog(this.logger, 'outbox relay', 'passes succeed again');
  private readonly passes: PeriodicTask<RelayPass>;
  private reconcileCursor: string | null = null;

  constructor(
    private readonly ledger: EventLedger,
    private readonly dispatcher: JobDispatcher,
    private readonly providers: WebhookProviderRegistry,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.passes = new PeriodicTask(() => this.pass(), config.OUTBOX_RELAY_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('outbox relay: pass in flight', this.passes.stop());
  }

  /** One pass. Never throws. */
  runOnce(): Promise<RelayPass> {
    return this.passes.runOnce();
  }

  private async pass(): Promise<RelayPass> {
    const result: RelayPass = { enqueued: 0, requeued: 0, retried: 0, gaveUp: 0 };
    try {
      for (;;) {
        const rows = await this.ledger.findUnqueued(this.providers.names(), new Date(Date.now() - GRACE_MS), BATCH);
        if (rows.length === 0) break;
        result.enqueued += await this.dispatcher.enqueue(rows);
        if (rows.length < BATCH) break;
      }
      if (result.enqueued > 0) this.logger.log(`outbox relay enqueued ${result.enqueued} event(s) that had not reached the queue`);
      await this.reconcile(result);
      this.failures.ready();
    } catch (err) {
      this.failures.failed(err as Error);
    }
    return result;
  }

  private async reconcile(result: RelayPass): Promise<void> {
    const stalledBefore = new Date(Date.now() - this.config.OUTBOX_RECONCILE_AFTER_MS);
    const rows = await this.ledger.findStalled(this.providers.names(), stalledBefore, this.reconcileCursor, BATCH);
    this.reconcileCursor = rows.length < BATCH ? null : rows[rows.length - 1].id;
    if (rows.length === 0) return;

    const attempts = this.config.JOB_ATTEMPTS;
    const jobs = await Promise.all(rows.map((row) => this.dispatcher.reviveJob(row, row.attempts < attempts)));
    result.retried += jobs.filter((job) => job === 'retried').length;
    const missing = rows.filter((_, i) => jobs[i] === 'missing');
    if (missing.length > 0) result.requeued += await this.dispatcher.enqueue(missing);
    const exhausted = rows.filter((_, i) => jobs[i] === 'failed');
    if (exhausted.length > 0) {
      const reason = `gave up after ${attempts} attempts: the job failed without the outcome being recorded (a worker that stopped mid-attempt, or the database unreachable)`;
      result.gaveUp += await this.ledger.markExhausted(exhausted.map((row) => row.id), attempts, reason);
    }
    if (result.requeued + result.retried + result.gaveUp > 0) {
      this.logger.warn(
        `outbox relay re-enqueued ${result.requeued} event(s) whose job had vanished, retried ${result.retried} failed job(s) ` +
          `and marked DEAD ${result.gaveUp} event(s) whose job had failed after their last attempt`,
      );
    }
  }
}
