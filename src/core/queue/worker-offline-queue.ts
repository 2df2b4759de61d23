import type { Worker } from 'bullmq';
import { workerRedisClients } from './worker-redis-clients.js';

interface IoredisLike {
  options?: { enableOfflineQueue?: boolean };
}

/**
 * Lets a worker's Redis connections queue commands while Redis is away. The queue connection is
 * configured with `enableOfflineQueue: false` so that producers fail fast (the outbox relay
 * covers them), but a worker must not: ioredis then rejects its next-job fetch at once with
 * "Stream isn't writeable", which BullMQ does not count as a connection error, so the worker retries
 * without any delay, in a loop of microtasks that starves the event loop: no HTTP answer, no log
 * line, memory growing, until Redis is back (seen in the fault suite's Redis outage).
 * Only Redis-backed workers have such clients; others are left alone.
 */
export function queueWorkerCommandsWhileOffline(worker: Worker): void {
  for (const client of workerRedisClients(worker)) {
    void client
      .then((redis) => {
        const options = (redis as IoredisLike | undefined)?.options;
        if (options) options.enableOfflineQueue = true;
      })
      .catch(() => undefined);
  }
}
