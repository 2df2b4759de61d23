import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../config/env.schema.js';
import { ReconcilerRegistry } from './reconciler.registry.js';
import { RECONCILIATION_JOB, RECONCILIATION_QUEUE, reconciliationSchedulerId, type ReconciliationJobData } from './reconciliation-queue.js';

/** Until the queue answers at start (Redis or PostgreSQL still coming up), the schedules are tried again this often. */
const RETRY_MS = 30_000;

/**
 * Every RECONCILE_INTERVAL, one job per available source, through a BullMQ job scheduler: the
 * queue (Redis or BullMQ's PostgreSQL backend, which keeps schedulers too) makes one job per
 * interval whatever the number of processes, unlike a timer in each. Each worker process upserts
 * the schedules at start (an upsert of the same id replaces it); a source that is not configured,
 * or RECONCILE_INTERVAL=off, has its schedule removed.
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: ReconcilerRegistry,
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectQueue(RECONCILIATION_QUEUE) private readonly queue: Queue<ReconciliationJobData>,
  ) {}

  onApplicationBootstrap(): void {
    void this.schedule();
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  async schedule(): Promise<void> {
    try {
      for (const source of this.registry.sources()) {
        const unavailable = this.registry.get(source)!.unavailableReason();
        const every = this.config.RECONCILE_INTERVAL;
        if (every > 0 && !unavailable) {
          await this.queue.upsertJobScheduler(
            reconciliationSchedulerId(source),
            { every },
            { name: RECONCILIATION_JOB, data: { source, trigger: 'schedule' }, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
          );
        } else {
          await this.queue.removeJobScheduler(reconciliationSchedulerId(source));
          if (every > 0) this.logger.log(`${source}: not reconciled: ${unavailable}`);
        }
      }
    } catch (err) {
      this.logger.warn(`could not set the reconciliation schedules, trying again in ${RETRY_MS / 1000} s: ${(err as Error).message}`);
      this.retry = setTimeout(() => void this.schedule(), RETRY_MS);
      this.retry.unref();
    }
  }
}
