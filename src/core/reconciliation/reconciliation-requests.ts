import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ReconcilerRegistry } from './reconciler.registry.js';
import { ReconciliationLock } from './reconciliation-lock.js';
import { manualReconciliationJobId, RECONCILIATION_JOB, RECONCILIATION_QUEUE, type ReconciliationJobData } from './reconciliation-queue.js';

export interface QueuedReconciliation {
  source: string;
  jobId: string;
  queuedAt: Date;
}

export type ReconciliationRequestOutcome =
  | { status: 'queued'; queued: QueuedReconciliation[] }
  | { status: 'running'; sources: string[] }
  | { status: 'unknown_source'; source: string; known: string[] }
  | { status: 'unavailable'; reasons: Record<string, string> };

/**
 * Runs asked for by an operator: one job per source on the reconciliation queue, run by a worker
 * like a scheduled one. A source whose run is in progress is not queued again (409); a request
 * while one of its runs waits in the queue gets that one.
 */
@Injectable()
export class ReconciliationRequests {
  constructor(
    private readonly registry: ReconcilerRegistry,
    private readonly lock: ReconciliationLock,
    @InjectQueue(RECONCILIATION_QUEUE) private readonly queue: Queue<ReconciliationJobData>,
  ) {}

  async request(source?: string): Promise<ReconciliationRequestOutcome> {
    const known = this.registry.sources();
    if (source !== undefined && !known.includes(source)) return { status: 'unknown_source', source, known };
    const asked = source !== undefined ? [source] : known;
    const reasons: Record<string, string> = {};
    const available = asked.filter((s) => {
      const reason = this.registry.get(s)!.unavailableReason();
      if (reason) reasons[s] = reason;
      return !reason;
    });
    if (available.length === 0) return { status: 'unavailable', reasons };
    const running: string[] = [];
    const queued: QueuedReconciliation[] = [];
    for (const s of available) {
      if (await this.lock.isHeld(s)) {
        running.push(s);
        continue;
      }
      // A run asked for while one of the source's waits is that one; otherwise a job of its own.
      const waiting = (await this.queue.getJobs(['waiting', 'prioritized', 'delayed'])).find((j) => j?.data.source === s && j.data.trigger === 'manual');
      const job = waiting ?? (await this.queue.add(RECONCILIATION_JOB, { source: s, trigger: 'manual' }, { jobId: manualReconciliationJobId(s), attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } }));
      queued.push({ source: s, jobId: job.id!, queuedAt: new Date(job.timestamp) });
    }
    if (queued.length === 0) return { status: 'running', sources: running };
    return { status: 'queued', queued };
  }
}
