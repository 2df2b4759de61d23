import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/env.schema.js';
import { DatabasePool } from '../core/database/database-pool.js';
import { withTimeout } from './with-timeout.js';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly database: DatabasePool,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async check(key = 'database') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.database.query('SELECT 1'), this.config.HEALTH_CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }
}
