// `npm run db:migrate`: applies pending migrations to DATABASE_URL (creating the database if needed).
import { loadConfig } from '../../config/load-config.js';
import { loadDotEnv } from '../../config/dot-env.js';
import { MigrationRunner } from './migration-runner.js';

loadDotEnv();
const config = loadConfig();
const runner = new MigrationRunner(config.DATABASE_URL, undefined, (line) => console.log(line));
runner
  .run()
  .then((report) => {
    console.log(`migrations: ${report.applied.length} applied, ${report.alreadyApplied} already applied`);
  })
  .catch((err: Error) => {
    console.error(`migration failed: ${err.message}`);
    process.exit(1);
  });
