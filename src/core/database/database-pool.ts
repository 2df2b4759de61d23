import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../../config/env.schema.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';

/** A statement with a name unique in the process (see DatabasePool.execute). */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * The one PostgreSQL connection pool of the process. Prisma runs on it (through adapter-pg) and
 * the ingest hot path uses it directly for its batched insert.
 */
@Injectable()
export class DatabasePool implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabasePool.name);
  readonly pool: pg.Pool;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      application_name: `hookwise-${config.APP_ROLE}`,
    });
    // An idle client losing its connection (database restart) must not crash the process.
    this.pool.on('error', (err) => this.logger.warn(`idle database connection lost: ${err.message}`));
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /**
   * Runs a statement that each connection prepares once, on first use, and then executes without
   * parsing or planning it again: for the statements that run once per batch on the hot paths.
   */
  execute<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: PreparedStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>({ name: statement.name, text: statement.text, values });
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('ledger database pool: queries in flight', this.pool.end());
  }
}
