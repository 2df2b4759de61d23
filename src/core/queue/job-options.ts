import type { DefaultJobOptions } from 'bullmq';
import type { AppConfig } from '../../config/env.schema.js';

/** Retry policy of webhook jobs: exponential backoff with jitter, bounded history in Redis. */
export function webhookJobOptions(config: AppConfig): DefaultJobOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS, jitter: 0.5 },
    // The ledger keeps the history; Redis keeps only enough for the dashboard.
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  };
}
