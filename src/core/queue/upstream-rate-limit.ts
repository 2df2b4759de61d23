import { DelayedError, type Job, type Queue } from 'bullmq';

/** Keeps a queue's worker(s) from starting jobs for a while, after an upstream rate limit. */
export interface QueuePause {
  pauseFor(ms: number): void | Promise<void>;
  cancel(): void;
}

/**
 * The pause of a queue in every worker process: BullMQ's manual rate limit, which BullMQ applies
 * only in workers with a limiter (see workerLimiter).
 */
export function queueWidePause(queue: Queue): QueuePause {
  return { pauseFor: (ms) => queue.rateLimit(ms), cancel: () => undefined };
}

/**
 * Sends a job whose upstream rate limited it back as a delayed job for `retryAfterMs` (BullMQ counts
 * no attempt for that), pauses its queue as long, and returns the DelayedError its processor throws.
 */
export async function waitOutRateLimit(job: Job, token: string | undefined, retryAfterMs: number, pause: QueuePause): Promise<DelayedError> {
  await job.moveToDelayed(Date.now() + retryAfterMs, token);
  await pause.pauseFor(retryAfterMs);
  return new DelayedError();
}
