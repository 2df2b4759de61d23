import { type DynamicModule, Module } from '@nestjs/common';
import { IngestModule } from '../../core/ingest/ingest.module.js';
import { webhookController } from '../../core/ingest/webhook-controller.js';
import { QueueModule } from '../../core/queue/queue.module.js';
import type { ProviderModuleOptions } from '../provider-module-options.js';
import { GITHUB, GithubWebhookProvider } from './github-webhook.provider.js';
import { GithubProcessor } from './github.processor.js';
import { GithubPrReviewAgent } from './github-pr-review.agent.js';
import { GithubPrReviewHandler } from './github-pr-review.handler.js';

@Module({})
export class GithubModule {
  static register({ receive, process }: ProviderModuleOptions): DynamicModule {
    return {
      module: GithubModule,
      imports: [QueueModule.forProvider(GITHUB), ...(receive ? [IngestModule] : [])],
      controllers: receive ? [webhookController(GITHUB)] : [],
      // The review handler is registered in every role: processors route to it, and admin replays call it directly.
      providers: [
        ...(receive ? [GithubWebhookProvider] : []),
        ...(process ? [GithubProcessor] : []),
        GithubPrReviewAgent,
        GithubPrReviewHandler,
      ],
    };
  }
}
