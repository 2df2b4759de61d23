// `npm run db:migrate`: applies pending migrations (the ledger's and, with QUEUE_BACKEND=postgres, the
// queue schema's) to DATABASE_URL, creating the database if needed; without DATABASE_URL, to the
// embedded database in DATA_DIR.
import { loadDotEnv } from '../../config/dot-env.js';
import { loadConfig } from '../../config/load-config.js';
import { migrateIfEnabled } from './migrate-on-start.js';
import { startEmbeddedDatabaseIfNeeded } from './start-embedded-database.js';

async function migrate(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = (line: string) => console.log(line);
  const embedded = await startEmbeddedDatabaseIfNeeded(config, log);
  try {
    await migrateIfEnabled(Object.assign(config, { MIGRATE_ON_START: true }), log);
  } finally {
    await embedded?.stop();
  }
}

migrate().catch((err: Error) => {
  console.error(`migration failed: ${err.message}`);
  process.exit(1);
});
