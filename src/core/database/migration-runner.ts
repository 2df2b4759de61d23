import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** prisma/migrations of this checkout, found from this file (src/ or dist/ alike). */
export const DEFAULT_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'prisma', 'migrations');

// Prisma's own history table, byte for byte, so `prisma migrate deploy` sees our history as its own.
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;
// Any constant works; it serialises concurrent starts of several replicas.
const MIGRATION_LOCK_KEY = 72707369;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies Prisma migration folders (`prisma/migrations/<name>/migration.sql`) in name order, each in
 * its own transaction, recording them in `_prisma_migrations` exactly as Prisma does (checksum =
 * sha256 of the file). Prisma's schema engine is not needed, which matters on machines that cannot
 * download it.
 */
export class MigrationRunner {
  constructor(
    private readonly databaseUrl: string,
    private readonly migrationsDir = DEFAULT_MIGRATIONS_DIR,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async run(): Promise<MigrationReport> {
    await this.ensureDatabase();
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(CREATE_HISTORY_TABLE);
      return await this.applyPending(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await client.end();
    }
  }

  /** Creates the target database when the server is there but the database is not. */
  async ensureDatabase(): Promise<void> {
    const target = new URL(this.databaseUrl);
    const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
    if (!name) throw new Error('DATABASE_URL names no database');
    const probe = new pg.Client({ connectionString: this.databaseUrl });
    try {
      await probe.connect();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: database does not exist
    } finally {
      await probe.end().catch(() => undefined);
    }
    const admin = new URL(this.databaseUrl);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      this.log(`created database ${name}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
    } finally {
      await client.end();
    }
  }

  private async applyPending(client: pg.Client): Promise<MigrationReport> {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const history = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };

    for (const migration of await this.listMigrations()) {
      const previous = history.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          this.log(`warning: migration ${migration.name} was modified after it was applied`);
        }
        report.alreadyApplied++;
        continue;
      }
      if (previous) {
        throw new Error(
          `migration ${migration.name} failed earlier and is not finished; fix the database, then mark it rolled back ` +
            `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${migration.name}')`,
        );
      }
      await this.apply(client, migration);
      report.applied.push(migration.name);
      this.log(`applied migration ${migration.name}`);
    }
    return report;
  }

  private async apply(client: pg.Client, migration: { name: string; sql: string; checksum: string }): Promise<void> {
    const id = randomUUID();
    await client.query('BEGIN');
    try {
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, migration.checksum, migration.name],
      );
      await client.query(migration.sql);
      await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`);
    }
  }

  private async listMigrations(): Promise<{ name: string; sql: string; checksum: string }[]> {
    if (!existsSync(this.migrationsDir)) throw new Error(`migrations folder not found: ${this.migrationsDir}`);
    const entries = await readdir(this.migrationsDir, { withFileTypes: true });
    const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    return Promise.all(
      names.map(async (name) => {
        const sql = await readFile(join(this.migrationsDir, name, 'migration.sql'), 'utf8');
        return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
      }),
    );
  }
}
