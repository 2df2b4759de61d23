import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../../config/env.schema.js';
import { installBullmqClasses } from './bullmq-classes.js';
import { webhookJobOptions } from './job-options.js';
import { installQueueBackendFactory } from './queue-backend-factory.js';
import { QueueDatabase } from './queue-database.js';
import { webhookQueueName } from './queue-names.js';
import { QueueRedisCluster } from './queue-redis-cluster.js';
import { bullPrefix, redisReconnectDelay } from './redis-client.js';

@Module({
  imports: [DiscoveryModule],
  providers: [QueueDatabase, QueueRedisCluster],
  exports: [QueueDatabase, QueueRedisCluster],
})
export class QueueModule {
  static forRoot(): DynamicModule {
    // Before any queue exists: BullMQ picks the backend of each queue by its connection option.
    installQueueBackendFactory();
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig, QueueDatabase, QueueRedisCluster],
          useFactory: (config: AppConfig, queueDatabase: QueueDatabase, redisCluster: QueueRedisCluster) => ({
            prefix: bullPrefix(config),
            // Redis: producers fail fast while Redis is away (the outbox relay re-enqueues later)
            // instead of buffering commands in memory, and every connection tries again at least
            // every 2 s. PostgreSQL: the queue schema's pool.
            connection: queueDatabase.pool ??
              redisCluster.client ?? { url: config.REDIS_URL, enableOfflineQueue: false, retryStrategy: redisReconnectDelay },
            defaultJobOptions: webhookJobOptions(config),
          }),
        }),
      ],
    };
  }

  /**
   * Registers a queue. Use this, not BullModule.registerQueue: @nestjs/bullmq picks the queue class
   * when registerQueue is called (as a module's decorator is evaluated, before QueueModule.forRoot),
   * and Hookwise's classes log connection errors instead of printing them raw.
   */
  static forQueue(name: string): DynamicModule {
    installBullmqClasses();
    return BullModule.registerQueue({ name });
  }

  /** Registers the queue of one provider (used by the provider's module). */
  static forProvider(provider: string): DynamicModule {
    return QueueModule.forQueue(webhookQueueName(provider));
  }
}
