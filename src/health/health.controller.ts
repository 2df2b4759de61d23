import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { AppConfig, QueueBackend } from '../config/env.schema.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { PostgresQueueHealthIndicator } from './postgres-queue.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly postgresQueue: PostgresQueueHealthIndicator,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * PostgreSQL and the queue backend in use (`redis`, or `queue` for the PostgreSQL queue) answer
   * within HEALTH_CHECK_TIMEOUT_MS; 503 with details otherwise.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    const queue = this.config.QUEUE_BACKEND === QueueBackend.Postgres ? () => this.postgresQueue.check() : () => this.redis.check();
    return this.health.check([() => this.database.check(), queue]);
  }
}
