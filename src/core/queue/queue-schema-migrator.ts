import { runMigrations } from 'bullmq';
import pg from 'pg';

/**
 * Creates and upgrades the schema BullMQ's PostgreSQL backend keeps its jobs in (QUEUE_BACKEND=postgres),
 * with BullMQ's own migrations: idempotent, serialised across processes by BullMQ's advisory lock.
 */
export class QueueSchemaMigrator {
  /** The schema of a QUEUE_PREFIX: `hookwise` → `hookwise_queue` (`-` becomes `_`). */
  static schemaFor(prefix: string): string {
    const name = `${prefix.replace(/-/g, '_')}_queue`;
    return /^[0-9]/.test(name) ? `q_${name}` : name;
  }

  constructor(
    private readonly databaseUrl: string,
    readonly schema: string,
  ) {}

  /** Returns the schema version now in the database. */
  async run(): Promise<number> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return await runMigrations(client, this.schema);
    } finally {
      await client.end();
    }
  }
}
