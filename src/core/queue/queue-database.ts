import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, QueueBackend } from '../../config/env.schema.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { PostgresQueuePool } from './postgres-queue-pool.js';
import { QueueSchemaMigrator } from './queue-schema-migrator.js';

/** Sessions beyond WORKER_CONCURRENCY: each worker holds one for LISTEN, producers need a few. */
const POOL_HEADROOM = 10;

/**
 * Where the queue lives when QUEUE_BACKEND=postgres: a pool on the ledger's database, pinned to the
 * queue schema (`<QUEUE_PREFIX>_queue`). Null pool on the Redis backend.
 */
@Injectable()
export class QueueDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueDatabase.name);
  readonly pool: PostgresQueuePool | null = null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    if (config.QUEUE_BACKEND !== QueueBackend.Postgres) return;
    this.pool = new PostgresQueuePool(QueueSchemaMigrator.schemaFor(config.QUEUE_PREFIX), {
      connectionString: config.DATABASE_URL,
      max: config.WORKER_CONCURRENCY + POOL_HEADROOM,
      connectionTimeoutMillis: 5000,
      application_name: `hookwise-${config.APP_ROLE}-queue`,
    });
    // An idle session lost (database restart) must not crash the process; BullMQ reconnects.
    this.pool.on('error', (err) => this.logger.warn(`idle queue database connection lost: ${err.message}`));
  }

  /** Resolves when the queue schema answers; rejects otherwise. */
  async ping(): Promise<void> {
    if (!this.pool) throw new Error('the queue does not run on PostgreSQL (QUEUE_BACKEND=redis)');
    await this.pool.query('SELECT max(version) FROM migration');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.pool) await trackClosing('queue database pool: queries in flight', this.pool.end());
  }
}
