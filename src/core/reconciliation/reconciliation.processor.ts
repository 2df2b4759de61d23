import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RECONCILIATION_QUEUE, type ReconciliationJobData } from './reconciliation-queue.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Runs the reconciliation jobs (scheduled or on demand), one at a time per process; the source's
 * lock keeps two processes from running the same source at once (the second one's job ends
 * `running_elsewhere`). A failed run is not retried by the queue: the next scheduled one starts
 * over from the stored point.
 */
@Processor(RECONCILIATION_QUEUE, { concurrency: 1 })
export class ReconciliationProcessor extends WorkerHost {
  private readonly logger = new Logger('Reconciliation');

  constructor(private readonly reconciliation: ReconciliationService) {
    super();
  }

  async process(job: Job<ReconciliationJobData>): Promise<{ runId?: string; status: string }> {
    const outcome = await this.reconciliation.run(job.data.source, job.data.trigger);
    if (outcome.ran) return { runId: outcome.run.id, status: outcome.run.status };
    if (outcome.reason !== 'running_elsewhere') this.logger.warn(`${job.data.source}: no reconciliation run: ${outcome.detail}`);
    return { status: outcome.reason };
  }
}
