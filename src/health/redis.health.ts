import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/env.schema.js';
import { withTimeout } from './with-timeout.js';

@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private redis: Redis | null = null;

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
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }

  /** Created on the first check, so a process on the PostgreSQL queue never opens one. */
  private client(): Redis {
    if (!this.config.REDIS_URL) throw new Error('REDIS_URL is not set');
    if (this.redis) return this.redis;
    this.redis = new Redis(this.config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', () => undefined); // reported through the health check, not as crashes
    return this.redis;
  }
}
