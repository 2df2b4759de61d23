import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DEPLOY_WATCH_QUEUE, ReleaseWatch, type SampleJobData } from './release-watch.js';

/** Takes the release watches' error-rate samples (delayed jobs on the deploy-watch queue); worker role only. */
@Processor(DEPLOY_WATCH_QUEUE)
export class DeployWatchProcessor extends WorkerHost {
  constructor(private readonly watch: ReleaseWatch) {
    super();
  }

  process(job: Job<SampleJobData>): Promise<string> {
    return this.watch.sample(job.data);
  }
}
