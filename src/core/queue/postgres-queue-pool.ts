import pg from 'pg';

/**
 * The connection pool of BullMQ's PostgreSQL backend: every session's search_path is the queue
 * schema, which BullMQ's SQL relies on (its statements use unqualified names). Handed to BullMQ as
 * the `connection` option; the backend factory recognises it by its class.
 */
export class PostgresQueuePool extends pg.Pool {
  constructor(
    readonly schema: string,
    config: pg.PoolConfig,
  ) {
    super({ ...config, options: `-c search_path=${pg.escapeIdentifier(schema)}`, keepAlive: true });
  }
}
