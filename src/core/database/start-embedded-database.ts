import type { AppConfig } from '../../config/env.schema.js';
import { EmbeddedDatabase } from './embedded-database.js';

/**
 * Without DATABASE_URL, starts the embedded PostgreSQL (data in DATA_DIR) and points the
 * configuration at it; returns it so the caller stops it after the application. Null otherwise.
 */
export async function startEmbeddedDatabaseIfNeeded(config: AppConfig, log: (line: string) => void): Promise<EmbeddedDatabase | null> {
  if (config.DATABASE_URL) return null;
  const embedded = await EmbeddedDatabase.start({ dataDir: config.DATA_DIR, log });
  config.DATABASE_URL = embedded.url;
  log(
    `using the EMBEDDED PostgreSQL (DATABASE_URL is not set): data in ${embedded.dataDir}, listening on 127.0.0.1:${embedded.port}; ` +
      'single node only, set DATABASE_URL for production',
  );
  return embedded;
}
