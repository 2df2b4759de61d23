import { QueueBackend, type AppConfig } from '../../config/env.schema.js';
import { QueueSchemaMigrator } from '../queue/queue-schema-migrator.js';
import { MigrationRunner } from './migration-runner.js';

/**
 * With MIGRATE_ON_START, applies the ledger's pending migrations to DATABASE_URL and, with
 * QUEUE_BACKEND=postgres, the queue schema's. Runs before the application starts (main.ts) and as
 * `npm run db:migrate` (migrate.cli.ts).
 */
export async function migrateIfEnabled(config: AppConfig, log: (line: string) => void): Promise<void> {
  if (!config.MIGRATE_ON_START) return;
  const databaseUrl = requireDatabaseUrl(config);
  const report = await new MigrationRunner(databaseUrl, undefined, log).run();
  log(`database schema up to date (${report.applied.length} migration(s) applied now, ${report.alreadyApplied} before)`);
  if (config.QUEUE_BACKEND === QueueBackend.Postgres) {
    const queueSchema = new QueueSchemaMigrator(databaseUrl, QueueSchemaMigrator.schemaFor(config.QUEUE_PREFIX));
    const version = await queueSchema.run();
    log(`queue schema ${queueSchema.schema} up to date (BullMQ PostgreSQL backend, schema version ${version})`);
  }
}

function requireDatabaseUrl(config: AppConfig): string {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set: start the embedded database first (startEmbeddedDatabaseIfNeeded)');
  return config.DATABASE_URL;
}
