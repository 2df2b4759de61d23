import type { Worker } from 'bullmq';
import type { QueuePause } from './upstream-rate-limit.js';

/**
 * Holds one worker (in this process only) for a while: it takes no new job until the latest
 * deadline asked for has passed, while the jobs it is running carry on. Used where BullMQ's
 * queue-wide pause does not apply (workers without a limiter: see workerLimiter).
 */
export class LocalWorkerPause implements QueuePause {
  private until = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly worker: Worker) {}

  pauseFor(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.until) return;
    this.until = until;
    clearTimeout(this.timer);
    // Not waiting for the running jobs: the caller is one of them.
    if (!this.worker.isPaused()) void this.worker.pause(true);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.worker.closing) void this.worker.resume();
    }, ms);
    this.timer.unref();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
