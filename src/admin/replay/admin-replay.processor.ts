import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { ReplayFailedError } from '../../core/agents/replay-failed.error.js';
import { LocalWorkerPause } from '../../core/queue/local-worker-pause.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { waitOutRateLimit } from '../../core/queue/upstream-rate-limit.js';
import { ADMIN_REPLAY_QUEUE, type AdminReplayJobData } from './admin-replay-job.js';

/**
 * Runs the replays of a bulk replay, a few at a time, through the agent runtime's replay service.
 * A replay is not retried (running it again is a second replay) except after an upstream rate limit
 * when it repeats no actions: it then waits as long as asked, and this process's replays with it.
 */
@Processor(ADMIN_REPLAY_QUEUE, { concurrency: 2 })
export class AdminReplayProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AdminReplayProcessor.name);
  private pause: LocalWorkerPause | undefined;

  constructor(private readonly replays: AgentReplayService) {
    super();
  }

  beforeApplicationShutdown(): void {
    this.pause?.cancel();
  }

  async process(job: Job<AdminReplayJobData>, token?: string): Promise<{ replayId: string; outcome: string }> {
    const { eventId, dryRun, repeatActions, batchId, replayId } = job.data;
    try {
      const result = await this.replays.replay(eventId, { dryRun, repeatActions, replayId });
      this.logger.log(`bulk replay ${batchId}: event ${eventId} replayed (${result.outcome.status}, replay ${result.replayId}, event now ${result.eventStatus})`);
      return { replayId: result.replayId, outcome: result.outcome.status };
    } catch (err) {
      const rateLimit = err instanceof ReplayFailedError && err.cause instanceof RateLimitedError ? err.cause : null;
      // Without repeatActions a second replay finds the actions of the first by their keys: safe to run again.
      if (rateLimit && !repeatActions) {
        const delayed = await waitOutRateLimit(job, token, rateLimit.retryAfterMs, (this.pause ??= new LocalWorkerPause(this.worker)));
        this.logger.warn(`bulk replay ${batchId}: event ${eventId} rate limited upstream; replayed again in ${rateLimit.retryAfterMs} ms`);
        throw delayed;
      }
      // The failed run is in agent_runs under the replay id.
      this.logger.warn(`bulk replay ${batchId}: event ${eventId} failed: ${(err as Error).message}`);
      throw err;
    }
  }
}
