import type { WorkerOptions } from 'bullmq';

/**
 * What every queue worker of Hookwise is built with (`@Processor(queue, { ...WORKER_OPTIONS })`).
 *
 * runRetryDelay: how long a worker waits before fetching again after its fetch failed on the
 * connection. Nothing interrupts that wait, not even close(): with BullMQ's 15 s default, a worker
 * whose database was unreachable (PostgreSQL queue) took 15 s to close. A retry is one connection
 * attempt, cheap enough every 2 s.
 */
export const WORKER_OPTIONS = { runRetryDelay: 2000 } satisfies Partial<WorkerOptions>;
