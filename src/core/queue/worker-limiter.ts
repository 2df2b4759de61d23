import type { RateLimiterOptions } from 'bullmq';
import { QueueBackend, type AppConfig } from '../../config/env.schema.js';

/**
 * The BullMQ limiter of every provider queue's workers: WORKER_RATE_LIMIT_MAX jobs per
 * WORKER_RATE_LIMIT_DURATION_MS when set. Unset, on Redis, a limit no queue reaches, because BullMQ
 * honours a queue-wide pause (Queue.rateLimit, which an upstream 429 sets) only in workers that have
 * a limiter; there it costs one INCR per job. On the PostgreSQL queue a limiter costs a locked
 * counter update per claim, so there the queue-wide pause needs WORKER_RATE_LIMIT_MAX (the
 * rate-limited event itself waits either way).
 */
export function workerLimiter(config: AppConfig): RateLimiterOptions | undefined {
  if (config.WORKER_RATE_LIMIT_MAX) return { max: config.WORKER_RATE_LIMIT_MAX, duration: config.WORKER_RATE_LIMIT_DURATION_MS };
  if (config.QUEUE_BACKEND === QueueBackend.Redis) return { max: Number.MAX_SAFE_INTEGER, duration: config.WORKER_RATE_LIMIT_DURATION_MS };
  return undefined;
}
