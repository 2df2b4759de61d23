import type { RateLimiterOptions } from 'bullmq';
import { QueueBackend, type AppConfig } from '../../config/env.schema.js';

/**
 * The BullMQ limiter of every provider queue's workers: WORKER_RATE_LIMIT_MAX jobs per
 * WORKER_RATE_LIMIT_DURATION_MS when set. Unset, on Redis, a limit no queue reaches, because BullMQ
 * honours a queue-wide pause (Queue.rateLimit, which an upstream 429 sets) only in workers that have
 * a limiter; there it costs one INCR per job (a bare BullMQ drain of 20,000 no-op jobs at
 * concurrency 100: 7,375–7,507 jobs/s with it, 7,350–7,664 without). On the PostgreSQL queue a
 * limiter takes a lock and updates a counter row on every claim (3,000 jobs at concurrency 10:
 * 534–579 jobs/s with it, 942–991 without), so there, unless WORKER_RATE_LIMIT_MAX is set, each
 * worker process pauses itself instead (LocalWorkerPause).
 */
export function workerLimiter(config: AppConfig): RateLimiterOptions | undefined {
  if (config.WORKER_RATE_LIMIT_MAX) return { max: config.WORKER_RATE_LIMIT_MAX, duration: config.WORKER_RATE_LIMIT_DURATION_MS };
  if (config.QUEUE_BACKEND === QueueBackend.Redis) return { max: Number.MAX_SAFE_INTEGER, duration: config.WORKER_RATE_LIMIT_DURATION_MS };
  return undefined;
}
