// `npm run bench:admin`: GET /admin/events latency with filters at 1,000,000 ledger rows.
// Builds Hookwise (BENCH_SKIP_BUILD=1 skips), fills database hookwise_adminbench up to
// BENCH_ROWS rows with scripts/seed-bulk.mjs, starts the API (APP_ROLE=api) as its own process and
// drives it with autocannon from this process: one run per filter scenario, BENCH_CONNECTIONS
// connections for BENCH_SECONDS each. Then prints the EXPLAIN (ANALYZE, BUFFERS) plan of every
// scenario's query (built by the same code the service uses) and writes bench/results/admin-events-c<connections>.md.
import autocannon from 'autocannon';
import { execFileSync, execSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const ROWS = Number(env.BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 8);
const SERVER_URL = env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE = 'hookwise_adminbench';
const KEY = 'bench-admin-key-not-for-production';
const log = (line) => console.log(`[bench:admin] ${line}`);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const databaseUrl = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
})();

let server;
try {
  await main();
} finally {
  server?.kill('SIGTERM');
}

async function main() {
  if (env.BENCH_SKIP_BUILD !== '1') {
    log('npm run build');
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  await ensureDatabase();
  const port = await freePort();
  server = spawn(process.execPath, [join(root, 'dist/main.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...env,
      NODE_ENV: 'production',
      APP_ROLE: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: 'hookwise-adminbench',
      MIGRATE_ON_START: 'true',
      ADMIN_API_KEYS: KEY,
      ADMIN_THROTTLE_LIMIT: '100000000',
      // The seeded ledger holds RECEIVED/QUEUED rows of providers this process does not receive;
      // keep the outbox relay from working on them while latency is measured.
      OUTBOX_RELAY_INTERVAL_MS: '86400000',
      OUTBOX_RECONCILE_AFTER_MS: String(365 * 86_400_000),
    },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilLive(base);

  const rows = await countRows();
  if (rows < ROWS) {
    log(`seeding ${ROWS - rows} rows (ledger holds ${rows})`);
    execFileSync(process.execPath, [join(root, 'scripts/seed-bulk.mjs'), String(ROWS - rows)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...env, DATABASE_URL: databaseUrl },
    });
  }
  const total = await countRows();
  const scenarios = await buildScenarios(base);

  log(`ledger rows: ${total.toLocaleString('en')}; ${CONNECTIONS} connections, ${SECONDS} s per scenario; load average ${loadAverage()}`);
  // Warm-up (JIT, connection pools), not recorded: every scenario once, for a second each.
  for (const scenario of scenarios) {
    await autocannon({ url: `${base}/admin/events?${scenario.query}`, headers: { authorization: `Bearer ${KEY}` }, connections: CONNECTIONS, duration: 1 });
  }
  const results = [];
  for (const scenario of scenarios) {
    const result = await autocannon({
      url: `${base}/admin/events?${scenario.query}`,
      headers: { authorization: `Bearer ${KEY}` },
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const row = {
      name: scenario.name,
      query: scenario.query,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      rps: Math.round(result.requests.average),
      errors: result.non2xx + result.errors,
    };
    results.push(row);
    log(`${scenario.name.padEnd(34)} p50 ${String(row.p50).padStart(4)} ms  p99 ${String(row.p99).padStart(4)} ms  ${row.rps} req/s  non-2xx ${row.errors}`);
  }

  const plans = await explainAll(scenarios);
  writeReport(total, results, plans);
}

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
}

async function countRows() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // The seed ANALYZEs; reltuples is instant where count(*) at 1M rows is not.
  const { rows } = await client.query(`SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'webhook_events'`);
  const estimate = Number(rows[0]?.n ?? 0);
  const exact = estimate < 10_000 ? Number((await client.query('SELECT count(*) AS n FROM webhook_events')).rows[0].n) : estimate;
  await client.end();
  return exact;
}

async function get(base, query) {
  const response = await fetch(`${base}/admin/events?${query}`, { headers: { authorization: `Bearer ${KEY}` } });
  if (!response.ok) throw new Error(`GET /admin/events?${query}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Filter combinations an operator uses; values are taken from the seeded ledger. */
async function buildScenarios(base) {
  const newest = await get(base, 'limit=1&provider=stripe');
  const sample = newest.items[0];
  const deep = await get(base, 'limit=200&provider=github');
  const day = (d) => new Date(Date.now() - d * 86_400_000).toISOString();
  return [
    { name: 'no filter', query: 'limit=50' },
    { name: 'provider', query: 'provider=github' },
    { name: 'status (2%)', query: 'status=DEAD' },
    { name: 'several statuses', query: 'status=DEAD,FAILED' },
    { name: 'provider + several statuses', query: 'provider=github&status=DEAD,FAILED&limit=100' },
    { name: 'provider + type', query: `provider=stripe&type=invoice.paid` },
    { name: 'subject', query: `subject=${encodeURIComponent(sample.subject)}` },
    { name: 'deliveryId (no provider)', query: `deliveryId=${encodeURIComponent(sample.deliveryId)}` },
    { name: 'provider + last 24 h window', query: `provider=github&from=${day(3)}&to=${day(2)}` },
    { name: 'rare combination', query: 'provider=slack&type=app_mention&status=RECEIVED' },
    { name: 'next page (cursor)', query: `provider=github&cursor=${encodeURIComponent(deep.nextCursor)}` },
    { name: 'include=payload, limit=200', query: 'include=payload&limit=200' },
  ];
}

async function explainAll(scenarios) {
  const { buildPageQuery } = await import('../dist/admin/events/event-search.js');
  const { decodeEventCursor } = await import('../dist/admin/events/event-cursor.js');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const plans = [];
  const columns =
    'id, provider, delivery_id, event_type, subject, status, status_reason, delivery_count, attempts, last_error, received_at, processed_at, updated_at';
  for (const scenario of scenarios) {
    const params = new URLSearchParams(scenario.query);
    const filters = {
      provider: params.get('provider') ?? undefined,
      type: params.get('type') ?? undefined,
      subject: params.get('subject') ?? undefined,
      deliveryId: params.get('deliveryId') ?? undefined,
      status: params.get('status')?.split(','),
      from: params.get('from') ? new Date(params.get('from')) : undefined,
      to: params.get('to') ? new Date(params.get('to')) : undefined,
    };
    const cursor = params.get('cursor') ? decodeEventCursor(params.get('cursor')) : null;
    const limit = Number(params.get('limit') ?? 50) + 1;
    const { text, values } = buildPageQuery(filters, cursor, limit, params.get('include') ? `${columns}, payload` : columns);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
    plans.push({ name: scenario.name, query: scenario.query, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  await client.end();
  return plans;
}

function writeReport(total, results, plans) {
  const lines = [
    `# GET /admin/events at ${total.toLocaleString('en')} ledger rows`,
    '',
    `${new Date().toISOString()}; ${CONNECTIONS} autocannon connections for ${SECONDS} s per scenario, from a separate process; ` +
      `load average at the end ${loadAverage()}; node ${process.version}.`,
    '',
    '| scenario | query | p50 ms | p99 ms | max ms | req/s | non-2xx |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | \`${r.query.length > 60 ? `${r.query.slice(0, 57)}...` : r.query}\` | ${r.p50} | ${r.p99} | ${r.max} | ${r.rps} | ${r.errors} |`),
    '',
    '## Query plans (EXPLAIN ANALYZE, BUFFERS)',
    '',
    ...plans.flatMap((p) => [`### ${p.name}`, '', '```', p.plan, '```', '']),
  ];
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, `bench/results/admin-events-c${CONNECTIONS}.md`), `${lines.join('\n')}\n`);
  log(`wrote bench/results/admin-events-c${CONNECTIONS}.md`);
  console.log(lines.slice(0, 6 + results.length).join('\n'));
}

async function waitUntilLive(base) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('Hookwise did not come up within 60 s');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
