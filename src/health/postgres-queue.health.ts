import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/env.schema.js';
import { QueueDatabase } from '../core/queue/queue-database.js';
import { withTimeout } from './with-timeout.js';

/** QUEUE_BACKEND=postgres: the queue schema answers through the queue's own pool. */
@Injectable()
export class PostgresQueueHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly queueDatabase: QueueDatabase,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async check(key = 'queue') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.queueDatabase.ping(), this.config.HEALTH_CHECK_TIMEOUT_MS);
      return indicator.up({ backend: 'postgres' });
    } catch (err) {
      return indicator.down({ backend: 'postgres', message: (err as Error).message });
    }
  }
}
