import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { AppConfig, QueueBackend } from '../../config/env.schema.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { createRedisCluster } from './redis-client.js';

/**
 * The Redis Cluster client the queues share when REDIS_CLUSTER=true (BullMQ takes a cluster only as
 * a client instance; workers duplicate it for their blocking fetches). Null otherwise: on a single
 * Redis each queue opens its own connection from REDIS_URL.
 */
@Injectable()
export class QueueRedisCluster implements OnApplicationShutdown {
  readonly client: Cluster | null = null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    if (config.QUEUE_BACKEND !== QueueBackend.Redis || !config.REDIS_CLUSTER) return;
    // Producers fail fast while the cluster is away (the outbox relay re-enqueues later), as on a
    // single Redis; BullMQ requires maxRetriesPerRequest null on the clients workers derive from it.
    this.client = createRedisCluster(config, { enableOfflineQueue: false, maxRetriesPerRequest: null });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await trackClosing('Redis Cluster client: quitting', this.client.quit().catch(() => this.client?.disconnect()));
  }
}
