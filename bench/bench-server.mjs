// One Hookwise process for the benchmark, started by run-bench.mjs with fork() (APP_ROLE from the
// environment). It runs the compiled service (dist/) unchanged; in processes that run processors it
// registers a no-op handler for the benchmark's event type that records receipt-to-job-start
// latency: from the request's arrival (the ledger id is the request's UUIDv7, whose first 48 bits
// are the arrival time in ms) to the moment the handler is called. Bench-only code stays here.
//
// With APP_ROLE=api and BENCH_API_PROCESSES=n > 1 this process is a node:cluster primary: it
// migrates, then forks n api processes that share one listening port (connections are dealt out
// round-robin), as an api tier of n replicas behind a load balancer would be. Its `ready` message
// carries their pids, for the RSS figures.
import cluster from 'node:cluster';
import { start } from '../dist/bootstrap.js';
import { loadConfig } from '../dist/config/load-config.js';
import { migrateIfEnabled } from '../dist/core/database/migrate-on-start.js';
import { EventHandlerRegistry } from '../dist/core/processing/event-handler.registry.js';
import { settingsClasses } from '../dist/settings-classes.js';
import { BENCH_ACTION, BENCH_EVENT } from './bench-delivery.mjs';
import { exitWithPrimary, forkTier } from './cluster-tier.mjs';

const config = loadConfig(process.env, settingsClasses);
const apiProcesses = Number(process.env.BENCH_API_PROCESSES ?? 1);

if (config.APP_ROLE === 'api' && apiProcesses > 1 && cluster.isPrimary) await runApiTier();
else await runOne();

async function runApiTier() {
  await migrateIfEnabled(config, (line) => console.log(`[migrate] ${line}`));
  const pids = await forkTier(apiProcesses, { MIGRATE_ON_START: 'false' });
  process.send?.({ type: 'ready', pids });
}

async function runOne() {
  exitWithPrimary();
  await migrateIfEnabled(config, (line) => console.log(`[migrate] ${line}`));
  const app = await start(config);

  let samples = [];
  if (config.APP_ROLE !== 'api') {
    app.get(EventHandlerRegistry).register({
      name: 'bench-noop',
      provider: 'github',
      handles: (type) => type === `${BENCH_EVENT}.${BENCH_ACTION}`,
      handle: async (event) => {
        samples.push(Date.now() - uuidv7Millis(event.id));
      },
    });
  }

  process.on('message', (message) => {
    if (message === 'reset') samples = [];
    if (message === 'report') process.send?.({ type: 'receipt-to-job-start', samples });
  });
  process.send?.({ type: 'ready' });
}

function uuidv7Millis(id) {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
