import { loadDotEnv } from './config/dot-env.js';
import { InvalidConfigError, loadConfig } from './config/load-config.js';
import { migrateIfEnabled, start } from './bootstrap.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  await migrateIfEnabled(config, (line) => console.log(`[migrate] ${line}`));
  await start(config);
}

main().catch((err: unknown) => {
  if (err instanceof InvalidConfigError) {
    console.error(err.message);
  } else {
    console.error('hookwise failed to start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
