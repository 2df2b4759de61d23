import { loadDotEnv } from './config/dot-env.js';
import { InvalidConfigError, loadConfig } from './config/load-config.js';
import { redactSecrets } from './config/redact-secrets.js';
import { start } from './bootstrap.js';
import { settingsClasses } from './settings-classes.js';
import { migrateIfEnabled } from './core/database/migrate-on-start.js';
import { startEmbeddedDatabaseIfNeeded } from './core/database/start-embedded-database.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env, settingsClasses);
  const embedded = await startEmbeddedDatabaseIfNeeded(config, (line) => console.log(`[database] ${line}`));
  try {
    await migrateIfEnabled(config, (line) => console.log(`[migrate] ${line}`));
    const app = await start(config);
    embedded?.stopAfterShutdownOf(app);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

main().catch((err: unknown) => {
  if (err instanceof InvalidConfigError) {
    console.error(err.message);
  } else {
    console.error('hookwise failed to start:', redactSecrets(err instanceof Error ? err.message : String(err), settingsClasses));
  }
  process.exit(1);
});
