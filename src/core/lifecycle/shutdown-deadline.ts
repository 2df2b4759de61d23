import type { LoggerService } from '@nestjs/common';
import { stillClosing } from './closing-tracker.js';

/**
 * Bounds a graceful stop. On SIGTERM or SIGINT Nest closes the application (enableShutdownHooks),
 * and a close can wait a long time: a worker waits for the jobs it runs (a model call may take
 * minutes), a pool for a query to a database that no longer answers. Rather than hang silently
 * until the orchestrator's SIGKILL, the process logs what it is still closing (closing-tracker.ts)
 * and exits 1 after `timeoutMs`. Nothing acknowledged is at risk: deliveries are committed before
 * they are answered, and work in flight is recovered as after a crash (stalled jobs are retried,
 * the outbox relay re-enqueues).
 */
export function exitIfShutdownOverruns(timeoutMs: number, logger: LoggerService): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // unref: a shutdown that finishes in time is not kept waiting for this timer.
      setTimeout(() => {
        const waitingFor = stillClosing();
        const cause = waitingFor.length > 0 ? `still closing: ${waitingFor.join('; ')}` : 'a dependency (Redis, PostgreSQL) may be unreachable';
        logger.error(
          `shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); ${cause}. ` +
            'Exiting now: acknowledged deliveries are committed, and unfinished jobs will be retried.',
          'Shutdown',
        );
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
