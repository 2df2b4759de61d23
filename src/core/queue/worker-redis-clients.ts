import type { Worker } from 'bullmq';

/**
 * A Redis-backed worker's ioredis clients (its connection and its blocking one), as BullMQ's
 * backend holds them. None on the PostgreSQL queue.
 */
export function workerRedisClients(worker: Worker): Promise<unknown>[] {
  const backend = worker.backend as unknown as { client?: Promise<unknown>; blockingClient?: Promise<unknown> };
  return [backend.client, backend.blockingClient].filter((client) => client !== undefined);
}
