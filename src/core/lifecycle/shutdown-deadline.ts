import type { LoggerService } from '@nestjs/common';

/**
 * Bounds a graceful stop. On SIGTERM or SIGINT Nest closes the application (enableShutdownHooks),
 * and a close can wait on a dependency that is not there: a BullMQ worker does not finish closing
 * while Redis is down. Rather than hang silently until the orchestrator's SIGKILL, the process logs
 * that and exits 1 after `timeoutMs`. Nothing acknowledged is at risk: deliveries are committed
 * before they are answered, and work in flight is recovered as after a crash (stalled jobs are
 * retried, the outbox relay re-enqueues).
 */
export function exitIfShutdownOverruns(timeoutMs: number, logger: LoggerService): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // unref: a shutdown that finishes in time is not kept waiting for this timer.
      setTimeout(() => {
        logger.error(
          `shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); a dependency (Redis, PostgreSQL) may be unreachable. ` +
            'Exiting now: acknowledged deliveries are committed, and unfinished jobs will be retried.',
          'Shutdown',
        );
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
