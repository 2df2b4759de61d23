import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { DatabasePool } from '../ledger/database-pool.js';
import { WEBHOOK_JOB, webhookQueueName } from '../queue/queue-names.js';
import type { WebhookJobData } from '../queue/webhook-job.js';

// On the pool directly, like the ledger insert: this runs once per enqueued batch on the ingest
// path, where the ORM's per-query cost shows. Only RECEIVED rows move (a fast worker may be ahead).
const MARK_QUEUED = `UPDATE webhook_events SET status = 'QUEUED', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'RECEIVED'`;

export interface QueuedEvent {
  id: string;
  provider: string;
}

/**
 * Puts committed ledger rows on their provider's queue (jobId = ledger id, so a second enqueue of
 * the same event is a no-op) and marks them QUEUED. Runs off the response path: requests hand
 * their rows over and return; rows arriving together go out in one addBulk per queue. When Redis
 * is unreachable the rows stay RECEIVED and the outbox relay enqueues them later.
 */
@Injectable()
export class JobDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(JobDispatcher.name);
  private pending: QueuedEvent[] = [];
  private flushing: Promise<void> | null = null;
  private readonly queues = new Map<string, Queue<WebhookJobData>>();
  private lastFailureLog = 0;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly database: DatabasePool,
  ) {}

  /** Fire and forget: failures are logged and left to the outbox relay. */
  dispatch(event: QueuedEvent): void {
    this.pending.push(event);
    this.flushing ??= this.flushAll();
  }

  /** Enqueues now and reports how many made it (used by the outbox relay). */
  async enqueue(events: QueuedEvent[]): Promise<number> {
    let enqueued = 0;
    for (const [provider, group] of groupByProvider(events)) {
      const queue = this.queueFor(provider);
      await queue.addBulk(group.map((e) => ({ name: WEBHOOK_JOB, data: { eventId: e.id }, opts: { jobId: e.id } })));
      await this.database.query(MARK_QUEUED, [group.map((e) => e.id)]);
      enqueued += group.length;
    }
    return enqueued;
  }

  /** The state of an event's job in its queue ('unknown' when Redis has no such job). */
  jobState(event: QueuedEvent): Promise<string> {
    return this.queueFor(event.provider).getJobState(event.id);
  }

  /** Retries an event's failed job from the start; false when it is no longer failed. */
  async retryFailed(event: QueuedEvent): Promise<boolean> {
    const job = await this.queueFor(event.provider).getJob(event.id);
    if (!job) return false;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 1000);
        await this.enqueue(batch).catch((err: Error) => this.reportFailure(batch.length, err));
      }
    } finally {
      this.flushing = null;
    }
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

  private reportFailure(count: number, err: Error): void {
    const now = Date.now();
    if (now - this.lastFailureLog < 5000) return;
    this.lastFailureLog = now;
    this.logger.warn(`could not enqueue ${count} event(s), left RECEIVED for the outbox relay: ${err.message}`);
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
