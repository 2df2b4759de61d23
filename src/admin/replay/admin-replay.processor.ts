import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AgentReplayService } from '../../core/agents/agent-replay.service.js';
import { queueWorkerCommandsWhileOffline } from '../../core/queue/worker-offline-queue.js';
import { ADMIN_REPLAY_QUEUE, type AdminReplayJobData } from './admin-replay-job.js';

/** Runs the replays of a bulk replay, a few at a time, through the agent runtime's replay service. */
@Processor(ADMIN_REPLAY_QUEUE, { concurrency: 2 })
export class AdminReplayProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminReplayProcessor.name);

  constructor(private readonly replays: AgentReplayService) {
    super();
  }

  onApplicationBootstrap(): void {
    // An unhandled 'error' event would crash the process while Redis is away; log it instead.
    this.worker.on('error', (err) => this.logger.warn(`admin replay worker: ${err.message}`));
    queueWorkerCommandsWhileOffline(this.worker);
  }

  async process(job: Job<AdminReplayJobData>): Promise<{ replayId: string; outcome: string }> {
    const { eventId, dryRun, repeatActions, batchId } = job.data;
    const result = await this.replays.replay(eventId, { dryRun, repeatActions }).catch((err: Error) => {
      // Not retried (one attempt: a second run would be a second replay); the failed run is in agent_runs.
      this.logger.warn(`bulk replay ${batchId}: event ${eventId} failed: ${err.message}`);
      throw err;
    });
    this.logger.log(`bulk replay ${batchId}: event ${eventId} replayed (${result.outcome.status}, replay ${result.replayId}, event now ${result.eventStatus})`);
    return { replayId: result.replayId, outcome: result.outcome.status };
  }
}
