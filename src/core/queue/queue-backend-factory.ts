import { createRedisBackend, PostgresConnection, PostgresQueueBackend, setDefaultBackendFactory, type BackendFactory } from 'bullmq';
import { PostgresQueuePool } from './postgres-queue-pool.js';

/**
 * The BullMQ backend factory of the process, chosen per queue by its `connection` option: a
 * PostgresQueuePool gets BullMQ's PostgreSQL backend, anything else the Redis backend. Installed
 * as BullMQ's process-wide default before any queue exists, so the queues and workers that
 * @nestjs/bullmq builds (without a backend argument) land on the configured backend, and two
 * applications of one process (tests) may each use their own.
 */
const selectBackend: BackendFactory = (name, opts, factoryOpts = {}) => {
  const connection: unknown = opts.connection;
  if (!(connection instanceof PostgresQueuePool)) return createRedisBackend(name, opts, factoryOpts);
  // As createPostgresBackend does, but on our pool: BullMQ builds pools itself only through
  // require('pg'), which native ESM lacks, and a pool given to it would be assumed to use the
  // default schema. The connection is told the pool's schema for its compatibility check.
  const postgres = new PostgresConnection(connection);
  Object.defineProperty(postgres, 'schema', { value: connection.schema, enumerable: true });
  const workerName = (opts as { name?: string }).name;
  const listenClientName = factoryOpts.withBlockingConnection
    ? `${name}${workerName ? `:w:${workerName}` : ''}`
    : factoryOpts.blocking
      ? `${name}:qe`
      : undefined;
  return new PostgresQueueBackend(postgres, name, opts as never, true, listenClientName);
};

export function installQueueBackendFactory(): void {
  setDefaultBackendFactory(selectBackend);
}
