import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { setImmediate } from 'node:timers/promises';
import { AppConfig, QueueBackend } from '../../config/env.schema.js';
import { DatabasePool } from '../database/database-pool.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { ThrottledReport } from '../logging/throttled-report.js';
import { WEBHOOK_JOB, webhookQueueName } from '../queue/queue-names.js';
import type { WebhookJobData } from '../queue/webhook-job.js';

// On the pool directly, like the ledger insert. Only RECEIVED rows move (a fast worker may be ahead).
const MARK_QUEUED = `UPDATE webhook_events SET status = 'QUEUED', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'RECEIVED'`;
// New rows are written QUEUED; the few whose hand-off to the queue failed go back to RECEIVED.
const MARK_UNQUEUED = `UPDATE webhook_events SET status = 'RECEIVED', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'QUEUED'`;

export interface QueuedEvent {
  id: string;
  provider: string;
}

/**
 * Puts committed ledger rows on their provider's queue (jobId = ledger id, so a second enqueue of
 * the same event is a no-op). Runs off the response path: requests hand their rows over and
 * return; rows arriving together go out together (one add per job on Redis, one addBulk on the
 * PostgreSQL queue).
 *
 * A new delivery is written QUEUED already, so the common case costs no second write to its row.
 * When the queue is unreachable the batch goes back to RECEIVED, where the outbox relay finds it
 * and enqueues it later (marking it QUEUED then). A process that dies between the commit and the
 * enqueue leaves QUEUED rows without a job: the relay's reconciliation adds their job again once
 * they have not moved for OUTBOX_RECONCILE_AFTER_MS.
 */
@Injectable()
export class JobDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(JobDispatcher.name);
  private pending: QueuedEvent[] = [];
  private flushing: Promise<void> | null = null;
  private readonly queues = new Map<string, Queue<WebhookJobData>>();
  private readonly failures = new ThrottledReport();

  private readonly bulkIsOneStatement: boolean;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly database: DatabasePool,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.bulkIsOneStatement = config.QUEUE_BACKEND === QueueBackend.Postgres;
  }

  /** Fire and forget: failures are logged and left to the outbox relay. */
  dispatch(event: QueuedEvent): void {
    this.pending.push(event);
    // The rows of one ledger commit are handed over one by one, as their requests resume: starting
    // the flush on the next turn of the event loop sends them together, not 1 + the rest.
    this.flushing ??= setImmediate().then(() => this.flushAll());
  }

  /** Enqueues now, marks RECEIVED rows QUEUED and reports how many made it (used by the outbox relay). */
  async enqueue(events: QueuedEvent[]): Promise<number> {
    let enqueued = 0;
    for (const [provider, group] of groupByProvider(events)) {
      await this.addJobs(provider, group);
      await this.database.query(MARK_QUEUED, [group.map((e) => e.id)]);
      enqueued += group.length;
    }
    return enqueued;
  }

  /**
   * Checks that an event's job is still in its queue: 'missing' when it is not, 'retried' when it
   * had failed for good and now runs again from the start ('failed' instead, left as it is, when
   * `retryFailed` is false), 'present' otherwise. Reads the job's hash
   * and the failed set, not BullMQ's getJobState: that looks for the id in the wait list with LPOS,
   * which reads the whole list, and the relay asks about the oldest jobs, which sit at the far end
   * (1.5 ms of Redis, blocking every other client, per job behind 100,000 waiting ones).
   */
  async reviveJob(event: QueuedEvent, retryFailed: boolean): Promise<'missing' | 'retried' | 'failed' | 'present'> {
    const job = await this.queueFor(event.provider).getJob(event.id);
    if (!job) return 'missing';
    if (!(await job.isFailed())) return 'present';
    if (!retryFailed) return 'failed';
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return 'retried';
    } catch {
      return 'present'; // no longer failed: retried or removed meanwhile
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('job dispatcher: enqueues in flight', this.flushing);
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 1000);
        for (const [provider, group] of groupByProvider(batch)) {
          await this.addJobs(provider, group).catch((err: Error) => this.leaveForRelay(group, err));
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private async addJobs(provider: string, events: QueuedEvent[]): Promise<void> {
    const queue = this.queueFor(provider);
    const jobs = events.map((e) => ({ name: WEBHOOK_JOB, data: { eventId: e.id }, opts: { jobId: e.id } }));
    // BullMQ's PostgreSQL backend writes a bulk in one statement. On Redis, addBulk is a pipeline,
    // and ioredis builds every pipeline as an object holding a method per Lua script BullMQ defines
    // (~50 µs of CPU each). V8 kept those objects long enough to move them to the old generation,
    // where they piled up between full collections: an api process peaked ~100 MB higher under load
    // than with one add per job, all sent at once.
    if (this.bulkIsOneStatement && jobs.length > 1) await queue.addBulk(jobs);
    else await Promise.all(jobs.map((job) => queue.add(job.name, job.data, job.opts)));
  }

  /** Should this fail too (database down as well), reconciliation finds the rows later. */
  private async leaveForRelay(events: QueuedEvent[], err: Error): Promise<void> {
    const back = await this.database.query(MARK_UNQUEUED, [events.map((e) => e.id)]).then(
      () => 'left RECEIVED for the outbox relay',
      () => 'left QUEUED for reconciliation (the database is unreachable too)',
    );
    this.reportFailure(events.length, err, back);
  }

  private queueFor(provider: string): Queue<WebhookJobData> {
    let queue = this.queues.get(provider);
    if (!queue) {
      queue = this.moduleRef.get<Queue<WebhookJobData>>(getQueueToken(webhookQueueName(provider)), { strict: false });
      this.queues.set(provider, queue);
    }
    // A closed queue answers Redis commands with an error but leaves PostgreSQL queries pending
    // forever (BullMQ's choice for stragglers); either way the rows stay for the outbox relay.
    if (queue.closing) throw new Error(`queue ${queue.name} is closed (shutting down)`);
    return queue;
  }

  private reportFailure(count: number, err: Error, outcome: string): void {
    this.failures.occurred(() => this.logger.warn(`could not enqueue ${count} event(s), ${outcome}: ${err.message}`));
  }
}

function groupByProvider(events: QueuedEvent[]): Map<string, QueuedEvent[]> {
  const groups = new Map<string, QueuedEvent[]>();
  for (const event of events) {
    const group = groups.get(event.provider);
    if (group) group.push(event);
    else groups.set(event.provider, [event]);
  }
  return groups;
}
