import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Cluster, type Redis } from 'ioredis';
import { AppConfig } from '../config/env.schema.js';
import { createRedisClient, redisReconnectDelay } from '../core/queue/redis-client.js';
import { withTimeout } from './with-timeout.js';

@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private redis: Redis | Cluster | null = null;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async check(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      const redis = this.client();
      if (redis.status === 'wait') await withTimeout(redis.connect(), this.config.HEALTH_CHECK_TIMEOUT_MS);
      await withTimeout(redis.ping(), this.config.HEALTH_CHECK_TIMEOUT_MS);
      if (redis instanceof Cluster) await this.expectClusterOk(redis);
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }

  /** A cluster answers PING from any live node; it serves every slot only while its state is ok. */
  private async expectClusterOk(cluster: Cluster): Promise<void> {
    const info = await withTimeout(cluster.cluster('INFO'), this.config.HEALTH_CHECK_TIMEOUT_MS);
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    if (state !== 'ok') throw new Error(`Redis Cluster state is ${state}`);
  }

  /** Created on the first check, so a process on the PostgreSQL queue never opens one. */
  private client(): Redis | Cluster {
    if (this.redis) return this.redis;
    this.redis = createRedisClient(this.config, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: redisReconnectDelay,
    });
    this.redis.on('error', () => undefined); // reported through the health check, not as crashes
    return this.redis;
  }
}
