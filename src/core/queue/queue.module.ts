import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { EventHandlerRegistry } from './event-handler.registry.js';
import { webhookJobOptions } from './job-options.js';
import { webhookQueueName } from './queue-names.js';

@Module({
  providers: [EventHandlerRegistry],
  exports: [EventHandlerRegistry],
})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            prefix: config.QUEUE_PREFIX,
            // Producers fail fast while Redis is away (the outbox relay re-enqueues later) instead of
            // buffering commands in memory.
            connection: { url: config.REDIS_URL, enableOfflineQueue: false },
            defaultJobOptions: webhookJobOptions(config),
          }),
        }),
      ],
    };
  }

  /** Registers the queue of one provider (used by the provider's module). */
  static forProvider(provider: string): DynamicModule {
    return BullModule.registerQueue({ name: webhookQueueName(provider) });
  }
}
