// `npm run bench`: builds Hookwise, starts it (an api tier of BENCH_API_PROCESSES processes, one per
// core by default, and a worker process) against the
// local PostgreSQL (database hookwise_bench) and, per queue backend, Redis (queue prefix
// hookwise-bench) or BullMQ's PostgreSQL backend (schema hookwise_bench_queue in the same database),
// drives load from separate processes and writes bench/results/latest.{json,md} and the table in docs/performance.md.
//
// BENCH_QUEUE_BACKEND=redis|postgres|both (default both: issue 6 wants ingest throughput for both
// queue backends from `npm run bench`). Each backend gets a fresh database and fresh processes, and
// runs the same phases one after the other. A run of one backend keeps the other backend's last
// result in latest.json (with its own date) so the table always shows both.
//
// Phases: (1) 1,000 req/s for BENCH_SECONDS with an open-loop generator, api and worker running
// (ack latency, receipt-to-job-start, and where the CPU went), with the api tier that rate needs
// (BENCH_FIXED_RATE_API_PROCESSES, default 1; the tier is then restarted with BENCH_API_PROCESSES);
// (2) ingest saturation: wrk, BENCH_CONNECTIONS connections
// for BENCH_SECONDS with the worker stopped, as during a burst that outruns the workers (accepted
// deliveries/s: what the api tier takes in); (3) a new worker drains that backlog (events/s);
// (4) saturation again with the worker running on the same cores (what the whole machine sustains).
// Every acknowledged delivery is then checked against the ledger: none missing, none twice.
// `node bench/run-bench.mjs --render` only rewrites latest.md and the docs/performance.md table from latest.json.
import { execFileSync, execSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { benchBody, BENCH_EVENT, BENCH_SECRET, signature } from './bench-delivery.mjs';
import { processTree, reapedChildrenCpuSeconds, startCpuAccounting } from './cpu-accounting.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 128);
const FIXED_RATE = Number(env.BENCH_RATE ?? 1000);
// The api tier: one process per core by default, sharing one port (see bench-server.mjs).
const API_PROCESSES = Number(env.BENCH_API_PROCESSES ?? os.availableParallelism());
// The fixed-rate phase runs the tier that rate needs: one api process takes ~2,500 deliveries/s here,
// and a second one on the same cores costs CPU per request (each process pays its own wake-ups)
// that the worker, PostgreSQL and Redis need at that rate.
const FIXED_RATE_API_PROCESSES = Number(env.BENCH_FIXED_RATE_API_PROCESSES ?? 1);
const DRAIN_LIMIT_S = Number(env.BENCH_DRAIN_LIMIT_SECONDS ?? 300);
// The service's own default unless BENCH_WORKER_CONCURRENCY says otherwise.
const WORKER_CONCURRENCY = env.BENCH_WORKER_CONCURRENCY ?? undefined;
const SERVER_URL = env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE = 'hookwise_bench';
const BACKENDS = ['redis', 'postgres'];
// QUEUE_BACKEND used to be passed straight through to the service: still honoured when
// BENCH_QUEUE_BACKEND is not set.
const BACKEND_SETTING = env.BENCH_QUEUE_BACKEND ?? env.QUEUE_BACKEND ?? 'both';
if (![...BACKENDS, 'both'].includes(BACKEND_SETTING)) {
  console.error(`BENCH_QUEUE_BACKEND must be redis, postgres or both (got ${BACKEND_SETTING})`);
  process.exit(2);
}
const SELECTED = BACKEND_SETTING === 'both' ? BACKENDS : [BACKEND_SETTING];
const usesRedis = SELECTED.includes('redis');
const PREFIX = 'hookwise-bench';
const TERMINAL = `('SUCCEEDED','IGNORED','DEAD')`;

const databaseUrl = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
})();
const log = (line) => console.log(`[bench] ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

const children = [];
let rssPeaks = {};
let warmupAccepted = 0;
let workDir;

try {
  // --render: write latest.md and the docs/performance.md table again from latest.json, without measuring.
  if (process.argv.includes('--render')) render();
  else await main();
} finally {
  await stopChildren();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

async function main() {
  ensureWrk();
  if (env.BENCH_SKIP_BUILD !== '1') {
    log('npm run build');
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  workDir = join(os.tmpdir(), `hookwise-bench-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  log(`queue backends: ${SELECTED.join(', ')} (BENCH_QUEUE_BACKEND=${BACKEND_SETTING})`);
  const ceiling = await httpCeiling();
  const runs = {};
  for (const backend of SELECTED) {
    runs[backend] = await runBackend(backend);
    await stopChildren();
    children.length = 0;
  }
  writeResults(runs, ceiling);
}

/**
 * The same loads against a bare Fastify route: what this machine's HTTP stack alone can take (wrk),
 * and the ack latency it alone gives at the fixed rate (the floor under the fixed-rate figures).
 */
async function httpCeiling() {
  const seconds = Math.min(SECONDS, 10);
  log(`HTTP ceiling: a bare Fastify route (${API_PROCESSES} process(es)), same wrk script, ${CONNECTIONS} connections for ${seconds} s`);
  const ceiling = await withBareRoute(API_PROCESSES, (url, pid) => runWrkAccounted(url, seconds, { api: () => processTree(pid) }));
  log(`the same route (${FIXED_RATE_API_PROCESSES} process(es)) at ${FIXED_RATE} req/s for ${seconds} s, same generator as the fixed-rate phase`);
  const floor = await withBareRoute(FIXED_RATE_API_PROCESSES, (url) => fixedRate(url, FIXED_RATE, seconds));
  const reference = usesRedis ? await referenceReceiver(seconds) : undefined;
  return {
    date: new Date().toISOString(),
    seconds: ceiling.seconds,
    connections: CONNECTIONS,
    processes: API_PROCESSES,
    requestsPerSecond: ceiling.acceptedPerSecond,
    cpu: ceiling.cpu,
    loadAverage: loadAverage(),
    fixedRate: { ratePerSecond: FIXED_RATE, seconds, processes: FIXED_RATE_API_PROCESSES, ackLatencyMs: floor.latencyMs },
    reference,
  };
}

/**
 * The same wrk load against a hand-written receiver that does the core of Hookwise's ingest and
 * nothing else (bench/reference-receiver.mjs: HMAC, JSON parse, a group-commit insert-on-conflict into
 * the same table, addBulk after the commit): how much of the machine that core takes, so the
 * distance between it and Hookwise is the cost of everything else the service does.
 */
async function referenceReceiver(seconds) {
  log(`reference receiver: Fastify + pg + BullMQ by hand (${API_PROCESSES} process(es)), same wrk script, ${CONNECTIONS} connections for ${seconds} s`);
  await recreateDatabase();
  execFileSync(process.execPath, [join(root, 'dist/core/database/migrate.cli.js')], {
    cwd: root,
    env: { ...env, DATABASE_URL: databaseUrl, QUEUE_BACKEND: 'redis', REDIS_URL },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await clearQueues();
  const serverEnv = { DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: PREFIX, GITHUB_WEBHOOK_SECRET: BENCH_SECRET };
  try {
    const result = await withBenchServer('reference-receiver.mjs', API_PROCESSES, serverEnv, (url, pid) =>
      runWrkAccounted(url, seconds, { api: () => processTree(pid) }),
    );
    return {
      date: new Date().toISOString(),
      processes: API_PROCESSES,
      seconds: result.seconds,
      connections: CONNECTIONS,
      acceptedPerSecond: result.acceptedPerSecond,
      ackLatencyMs: result.ackLatencyMs,
      cpu: result.cpu,
    };
  } finally {
    await clearQueues();
  }
}

function withBareRoute(processes, measure) {
  return withBenchServer('http-ceiling-server.mjs', processes, {}, measure);
}

/** Runs one of the bench's own servers (a script of bench/, as a tier of `processes`), measures it, kills it. */
async function withBenchServer(script, processes, serverEnv, measure) {
  const port = await freePort();
  const server = fork(join(here, script), [String(port)], {
    cwd: root,
    env: { ...env, ...serverEnv, BENCH_API_PROCESSES: String(processes) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await readyOrExit(server, (code) => `${script} exited with ${code}`);
    return await measure(`http://127.0.0.1:${port}`, server.pid);
  } finally {
    server.kill('SIGKILL');
  }
}

async function runBackend(backend) {
  log(`=== queue backend: ${backend} ===`);
  rssPeaks = {};
  warmupAccepted = 0;
  await recreateDatabase(); // also drops the PostgreSQL queue's schema (it lives in this database)
  if (backend === 'redis') await clearQueues(); // Redis-only: the postgres queue never touches Redis

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const serviceEnv = {
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    DATABASE_URL: databaseUrl,
    QUEUE_BACKEND: backend,
    QUEUE_PREFIX: PREFIX,
    GITHUB_WEBHOOK_SECRET: BENCH_SECRET,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  // The postgres queue runs as it would on a machine without Redis: no REDIS_URL at all.
  if (backend === 'redis') serviceEnv.REDIS_URL = REDIS_URL;
  else delete serviceEnv.REDIS_URL;
  const startApiTier = async (processes) => {
    log(`starting the api tier on ${baseUrl}: ${processes} process(es) (QUEUE_BACKEND=${backend})`);
    const tier = await startChild('api', { ...serviceEnv, APP_ROLE: 'api', BENCH_API_PROCESSES: String(processes) });
    await waitReady(`${baseUrl}/health/ready`);
    return tier;
  };
  let api = await startApiTier(FIXED_RATE_API_PROCESSES);
  const workerEnv = { ...serviceEnv, APP_ROLE: 'worker', MIGRATE_ON_START: 'false', ...(WORKER_CONCURRENCY ? { WORKER_CONCURRENCY } : {}) };
  let worker = await startChild('worker', workerEnv);
  const rssTimer = setInterval(sampleRss, 250);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    log(`warm-up: ${FIXED_RATE} req/s for 5 s`);
    await fixedRate(baseUrl, FIXED_RATE, 5, true);
    await drain(db, 60);

    const loadBeforeFixed = loadAverage();
    log(`fixed rate: ${FIXED_RATE} req/s for ${SECONDS} s`);
    worker.send('reset');
    const stopCpuAccounting = startCpuAccounting({ api: () => pidsOf('api'), worker: () => pidsOf('worker') });
    const fixed = await fixedRate(baseUrl, FIXED_RATE, SECONDS);
    const fixedCpu = stopCpuAccounting(fixed.completed, { generator: fixed.cpuSeconds });
    await drain(db, 60);
    const receiptToStart = percentiles(await report(worker));

    log('stopping the worker: the ingest saturation phase measures the api alone');
    await stopChild(worker);
    if (API_PROCESSES !== FIXED_RATE_API_PROCESSES) {
      await stopChild(api);
      api = await startApiTier(API_PROCESSES);
      log(`warm-up of the new api tier: ${FIXED_RATE} req/s for 5 s`);
      await fixedRate(baseUrl, FIXED_RATE, 5, true);
    }
    const loadBeforeSaturation = loadAverage();
    log(`ingest saturation: wrk, ${CONNECTIONS} connections for ${SECONDS} s, no worker`);
    const saturation = runWrkAccounted(baseUrl, SECONDS, { api: () => pidsOf('api') });
    const loadAfterSaturation = loadAverage();
    log(`accepted ${saturation.acceptedPerSecond}/s; a new worker drains the backlog (at most ${DRAIN_LIMIT_S} s)`);
    worker = await startChild('worker', workerEnv);
    const drained = await drain(db, DRAIN_LIMIT_S);

    log(`saturation with the worker running: wrk, ${CONNECTIONS} connections for ${SECONDS} s`);
    const shared = runWrk(baseUrl, SECONDS);
    const backlogAtEnd = await pending(db);
    log(`accepted ${shared.acceptedPerSecond}/s with the worker running (${backlogAtEnd} events waiting at the end); draining`);
    const sharedDrain = await drain(db, DRAIN_LIMIT_S);

    const ledger = (await db.query(`SELECT count(*)::int AS rows, count(*) FILTER (WHERE status IN ${TERMINAL})::int AS terminal,
      count(*) FILTER (WHERE delivery_count > 1)::int AS counted_twice FROM webhook_events`)).rows[0];
    clearInterval(rssTimer);
    sampleRss();

    const results = {
      queueBackend: backend,
      date: new Date().toISOString(),
      command: commandLine(),
      settings: {
        queueBackend: backend,
        queue: backend === 'redis' ? `Redis (prefix ${PREFIX})` : `BullMQ PostgreSQL backend (schema ${PREFIX.replace(/-/g, '_')}_queue of ${DATABASE})`,
        seconds: SECONDS,
        connections: CONNECTIONS,
        fixedRate: FIXED_RATE,
        drainLimitSeconds: DRAIN_LIMIT_S,
        apiProcesses: API_PROCESSES,
        fixedRateApiProcesses: FIXED_RATE_API_PROCESSES,
        topology: `${apiTier(FIXED_RATE_API_PROCESSES)} at the fixed rate, ${apiTier(API_PROCESSES)} at saturation, + 1 worker process (${WORKER_CONCURRENCY ? `WORKER_CONCURRENCY=${WORKER_CONCURRENCY}` : 'default WORKER_CONCURRENCY'})`,
      },
      machine: machine(backend),
      loadAverage: { beforeFixedRate: loadBeforeFixed, beforeSaturation: loadBeforeSaturation, afterSaturation: loadAfterSaturation },
      fixedRate: {
        ratePerSecond: FIXED_RATE,
        acknowledged: fixed.statuses['202'] ?? 0,
        statuses: fixed.statuses,
        errors: fixed.errors,
        ackLatencyMs: fixed.latencyMs,
        receiptToJobStartMs: receiptToStart,
        cpu: fixedCpu,
      },
      saturation,
      drain: drained,
      withWorker: { saturation: shared, backlogAtEnd, drain: sharedDrain },
      peakRssMb: rssPeaks,
      ledger,
      integrity: {
        acknowledgedTotal: ledger.rows,
        note: 'rows must equal the 202s of all phases, plus at most one in-flight request per wrk connection when wrk stops; no delivery counted twice; all terminal',
      },
    };
    results.integrity.expectedRows = results.fixedRate.acknowledged + saturation.accepted + shared.accepted + warmupAccepted;
    const { lost, twice, unfinished } = ledgerFindings(results);
    results.integrity.ok = !lost && !twice && unfinished === 0;
    results.targets = targets(results);
    log(`${backend}: ${saturation.acceptedPerSecond} accepted/s at saturation; ledger check ${results.integrity.ok ? 'ok' : 'FAILED'}`);
    return results;
  } finally {
    clearInterval(rssTimer);
    await db.end();
  }
}

async function fixedRate(baseUrl, rate, seconds, warmup = false) {
  const out = await runNode(join(here, 'fixed-rate-load.mjs'), [baseUrl, String(rate), String(seconds), '32']);
  const result = JSON.parse(out);
  if (warmup) warmupAccepted += result.statuses['202'] ?? 0;
  return result;
}

function apiTier(processes) {
  return `${processCount(processes, 'api process')}${processes > 1 ? ' (one port, node:cluster)' : ''}`;
}

/** `1 process`, `2 processes` (or `api process`, …). */
function processCount(count, noun = 'process') {
  return `${count} ${noun}${count > 1 ? 'es' : ''}`;
}

/** Pids of the serving processes of a role (an api tier's node:cluster workers, not its primary). */
function pidsOf(role) {
  return children.filter((c) => c.role === role).flatMap((c) => c.pids);
}

/** runWrk, with where the machine's CPU went per accepted delivery: `parts` (see startCpuAccounting), PostgreSQL, Redis and wrk. */
function runWrkAccounted(baseUrl, seconds, parts) {
  const stopCpuAccounting = startCpuAccounting(parts);
  const wrkBefore = reapedChildrenCpuSeconds();
  const result = runWrk(baseUrl, seconds);
  return { ...result, cpu: stopCpuAccounting(result.accepted, { wrk: reapedChildrenCpuSeconds() - wrkBefore }) };
}

function runWrk(baseUrl, seconds) {
  const bodies = join(workDir, 'bodies.tsv');
  const lines = [];
  const base = Date.now();
  for (let i = 0; i < 4000; i++) {
    const body = benchBody(base + i);
    lines.push(`${signature(body)}\t${body}`);
  }
  writeFileSync(bodies, `${lines.join('\n')}\n`);
  const tag = randomBytes(4).toString('hex');
  const output = execFileSync(
    'wrk',
    ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', join(here, 'wrk-deliveries.lua'), baseUrl, '--', bodies, tag, BENCH_EVENT],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  const raw = JSON.parse(line.slice('BENCH_RESULT '.length));
  const secondsRun = raw.durationUs / 1e6;
  const ms = (us) => Math.round(us / 10) / 100;
  return {
    connections: CONNECTIONS,
    seconds: Math.round(secondsRun * 100) / 100,
    requests: raw.requests,
    accepted: raw.accepted,
    duplicates: raw.duplicates,
    otherStatus: raw.otherStatus,
    socketErrors: raw.errors,
    acceptedPerSecond: Math.round(raw.accepted / secondsRun),
    ackLatencyMs: { p50: ms(raw.latencyUs.p50), p90: ms(raw.latencyUs.p90), p99: ms(raw.latencyUs.p99), max: ms(raw.latencyUs.max) },
  };
}

async function pending(db) {
  return (await db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE status NOT IN ${TERMINAL}`)).rows[0].n;
}

/** Waits until every ledger row is terminal; reports how long that took and the rate. */
async function drain(db, limitSeconds) {
  const started = Date.now();
  const initial = await pending(db);
  let left = initial;
  while (left > 0 && Date.now() - started < limitSeconds * 1000) {
    await sleep(250);
    left = await pending(db);
  }
  const seconds = (Date.now() - started) / 1000;
  return { backlog: initial, left, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: seconds > 0 ? Math.round((initial - left) / seconds) : null };
}

function report(child) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.type !== 'receipt-to-job-start') return;
      child.off('message', onMessage);
      resolve(message.samples);
    };
    child.on('message', onMessage);
    child.send('report');
  });
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
  return { samples: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1) ?? null };
}

function targets(r) {
  const check = (name, value, limit, better) => ({ name, value, limit, met: value !== null && (better === 'higher' ? value >= limit : value <= limit) });
  return [
    check('accepted deliveries/s at saturation', r.saturation.acceptedPerSecond, 10000, 'higher'),
    check(`ack p99 at ${FIXED_RATE} req/s (ms)`, r.fixedRate.ackLatencyMs.p99, 10, 'lower'),
    check(`receipt-to-job-start p99 at ${FIXED_RATE} req/s (ms)`, r.fixedRate.receiptToJobStartMs.p99, 50, 'lower'),
    check('peak RSS of an api process (MB)', r.peakRssMb.api ?? null, 300, 'lower'),
    check('peak RSS of the worker process (MB)', r.peakRssMb.worker ?? null, 300, 'lower'),
  ];
}

function commandLine() {
  const knobs = ['BENCH_QUEUE_BACKEND', 'BENCH_API_PROCESSES', 'BENCH_FIXED_RATE_API_PROCESSES', 'BENCH_SECONDS', 'BENCH_CONNECTIONS', 'BENCH_RATE', 'BENCH_DRAIN_LIMIT_SECONDS', 'BENCH_WORKER_CONCURRENCY', 'BENCH_SKIP_BUILD']
    .filter((k) => env[k] !== undefined)
    .map((k) => `${k}=${env[k]}`);
  if (env.BENCH_QUEUE_BACKEND === undefined && env.QUEUE_BACKEND !== undefined) knobs.unshift(`QUEUE_BACKEND=${env.QUEUE_BACKEND}`);
  return [...knobs, 'npm run bench'].join(' ');
}

function writeResults(runs, ceiling) {
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  // Keep the last result of a backend this run did not measure (only from the per-backend format).
  let previous = {};
  let previousCeiling;
  try {
    const last = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
    previous = last.backends ?? {};
    previousCeiling = last.httpCeiling;
  } catch {}
  // A run without the Redis backend does not drive the reference receiver: keep the last one (dated).
  if (!ceiling.reference && previousCeiling?.reference) ceiling.reference = previousCeiling.reference;
  const backends = {};
  for (const backend of BACKENDS) {
    const run = runs[backend] ?? previous[backend];
    if (run) backends[backend] = run;
  }
  const results = {
    date: new Date().toISOString(),
    command: commandLine(),
    measuredNow: Object.keys(runs),
    httpCeiling: ceiling,
    backends,
  };
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  publish(dir, results);
}

function render() {
  const dir = join(here, 'results');
  publish(dir, JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')));
}

function publish(dir, results) {
  const md = markdown(results);
  writeFileSync(join(dir, 'latest.md'), `${md}\n`);
  const page = join(root, 'docs', 'performance.md');
  if (existsSync(page)) {
    const text = readFileSync(page, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) writeFileSync(page, `${text.slice(0, a + start.length)}\n${md}\n${text.slice(b)}`);
  }
  console.log(`\n${md}\n`);
  log(`results written to bench/results/latest.json and latest.md`);
}

/** One table, one column per queue backend; then, per backend, when and how it ran and the load. */
function markdown(all) {
  const names = { redis: 'Redis queue', postgres: 'PostgreSQL queue' };
  const runs = BACKENDS.filter((b) => all.backends[b]).map((b) => all.backends[b]);
  const la = (v) => v.map((x) => x.toFixed(2)).join(' / ');
  const mark = (t) => (t.met ? 'met' : '**missed**');
  const cell = (fn) => runs.map((r) => fn(r)).join(' | ');
  const head = runs.map((r) => `${names[r.queueBackend]} (\`QUEUE_BACKEND=${r.queueBackend}\`)`);
  const rows = [
    `| accepted deliveries/s, ingest saturation (wrk, worker stopped) | ${cell((r) => `**${r.saturation.acceptedPerSecond}** (${r.saturation.connections} connections, ${r.saturation.seconds} s) ${mark(r.targets[0])}`)} | ≥ 10,000 |`,
    `| ack latency p50 / p99 at ingest saturation | ${cell((r) => `${r.saturation.ackLatencyMs.p50} / ${r.saturation.ackLatencyMs.p99} ms`)} | |`,
    `| CPU at ingest saturation: whole machine busy; CPU time per accepted delivery | ${cell((r) => cpuText(r.saturation.cpu, r.machine.cpus))} | |`,
    `| ack latency p50 / p99 at fixed rate (api + worker) | ${cell((r) => `${r.fixedRate.ackLatencyMs.p50} / **${r.fixedRate.ackLatencyMs.p99}** ms at ${r.fixedRate.ratePerSecond} req/s ${mark(r.targets[1])}`)} | p99 ≤ 10 ms at 1,000 req/s |`,
    `| CPU at fixed rate: whole machine busy; CPU time per event | ${cell(cpuCell)} | |`,
    `| receipt-to-job-start p50 / p99 at fixed rate | ${cell((r) => `${r.fixedRate.receiptToJobStartMs.p50} / **${r.fixedRate.receiptToJobStartMs.p99}** ms ${mark(r.targets[2])}`)} | p99 ≤ 50 ms |`,
    `| peak RSS per api process / worker | ${cell((r) => `${r.peakRssMb.api} / ${r.peakRssMb.worker} MB ${r.targets[3].met && r.targets[4].met ? 'met' : '**missed**'}`)} | ≤ 300 MB |`,
    `| worker drain of the ingest-saturation backlog | ${cell((r) => `${r.drain.backlog} events in ${r.drain.seconds} s (${r.drain.eventsPerSecond}/s)${r.drain.left ? `, **${r.drain.left} left**` : ''}`)} | |`,
    `| accepted deliveries/s, saturation with the worker running | ${cell((r) => (r.withWorker ? `${r.withWorker.saturation.acceptedPerSecond} (ack p50 / p99 ${r.withWorker.saturation.ackLatencyMs.p50} / ${r.withWorker.saturation.ackLatencyMs.p99} ms; ${r.withWorker.backlogAtEnd} events waiting at the end, drained at ${r.withWorker.drain.eventsPerSecond}/s)` : 'not measured'))} | |`,
    `| ledger check (no loss, no duplicate, all terminal) | ${cell(ledgerCheck)} | |`,
  ];
  const missing = BACKENDS.filter((b) => !all.backends[b]);
  const m = runs[0]?.machine;
  return [
    `Ingest benchmark per queue backend (${runs[0]?.settings.topology ?? ''}; Hookwise, load generator, PostgreSQL${all.backends.redis ? ' and Redis' : ''} on the same machine)`,
    '',
    `| measure | ${head.join(' | ')} | target |`,
    `| --- | ${runs.map(() => '---').join(' | ')} | --- |`,
    ...rows,
    '',
    ...runs.map(
      (r) =>
        `- ${names[r.queueBackend]}: ${r.date}, \`${r.command}\` (${r.settings.seconds} s phases, ${r.settings.queue}). Load average (1/5/15 min) before the fixed-rate phase ${la(r.loadAverage.beforeFixedRate)}, before saturation ${la(r.loadAverage.beforeSaturation)}, after ${la(r.loadAverage.afterSaturation)}.`,
    ),
    ...missing.map((b) => `- ${names[b]}: not measured yet (\`BENCH_QUEUE_BACKEND=${b} npm run bench\`).`),
    '',
    all.httpCeiling
      ? `For scale, the HTTP ceiling of this machine: a bare Fastify route answering 202 (no verification, no ledger, no queue; \`bench/http-ceiling-server.mjs\`) took ${all.httpCeiling.requestsPerSecond} req/s from the same wrk script (${processCount(all.httpCeiling.processes ?? 1)}, ${all.httpCeiling.connections} connections, ${all.httpCeiling.seconds} s, ${all.httpCeiling.date}${all.httpCeiling.cpu ? `; CPU: ${cpuText(all.httpCeiling.cpu, m?.cpus, 'route')}` : ''}).${floorSentence(all.httpCeiling.fixedRate)}${referenceSentence(all.httpCeiling.reference, m?.cpus)}`
      : '',
    '',
    m
      ? `Machine: ${m.cpus}× ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, ${m.postgres}${all.backends.redis ? `, Redis ${all.backends.redis.machine.redis}` : ''} (other work on the machine shares its cores).`
      : '',
  ].join('\n');
}

function floorSentence(floor) {
  if (!floor) return '';
  const { p50, p99 } = floor.ackLatencyMs;
  return ` The same route at ${floor.ratePerSecond} req/s from the fixed-rate generator (${processCount(floor.processes)}, ${floor.seconds} s) answered with ack p50 / p99 ${p50} / ${p99} ms: the floor under the fixed-rate latencies.`;
}

function referenceSentence(reference, cores) {
  if (!reference) return '';
  const { p50, p99 } = reference.ackLatencyMs;
  return ` A hand-written receiver doing only the core of the ingest path (\`bench/reference-receiver.mjs\`: Fastify, HMAC check, JSON parse, a group-commit insert-on-conflict into the same ledger table (same indexes), BullMQ \`addBulk\` after the commit; no payload validation, access log, metrics, backpressure or outbox) accepted ${reference.acceptedPerSecond} deliveries/s from the same wrk script (${processCount(reference.processes)}, worker stopped, ack p50 / p99 ${p50} / ${p99} ms, ${reference.seconds} s${reference.date ? `, ${reference.date}` : ''})${reference.cpu ? `; CPU: ${cpuText(reference.cpu, cores, 'receiver')}` : ''}.`;
}

function cpuCell(r) {
  return cpuText(r.fixedRate.cpu);
}

/**
 * "93 % busy; api 478, …, Redis 282 µs". With `cores`, also the sum and the rate it allows: at that
 * much CPU per delivery, `cores` fully busy cores take at most cores × 10⁶ / sum deliveries/s.
 */
function cpuText(cpu, cores, apiName = 'api') {
  if (!cpu) return 'not measured';
  const names = { api: apiName, worker: 'worker', postgres: 'PostgreSQL', redis: 'Redis', generator: 'load generator', wrk: 'wrk' };
  // A part that used less than 0.5 µs per delivery (Redis idling under the bare route) is left out.
  const measured = Object.entries(names).filter(([key]) => cpu.perEventUs[key] > 0);
  const parts = measured.map(([key, name]) => `${name} ${cpu.perEventUs[key]}`);
  const sum = measured.reduce((total, [key]) => total + cpu.perEventUs[key], 0);
  const bound = cores ? ` (sum ${sum} µs: ${cores} cores allow at most ${Math.round((cores * 1e6) / sum)}/s)` : '';
  return `${cpu.machineBusyPercent} % busy; ${parts.join(', ')} µs${bound}`;
}

/**
 * What the ledger says of a run. wrk drops the requests still in flight when its time is up: those
 * (at most one per connection and wrk run) are committed without being counted as acknowledged.
 */
function ledgerFindings(r) {
  const inFlight = r.withWorker ? 2 * r.settings.connections : r.settings.connections;
  return {
    inFlight,
    lost: r.ledger.rows < r.integrity.expectedRows || r.ledger.rows > r.integrity.expectedRows + inFlight,
    twice: r.ledger.counted_twice > 0,
    unfinished: r.ledger.rows - r.ledger.terminal,
  };
}

/** The ledger check in words: a row missing or counted twice is a failure; rows the workers had not
 * finished when the drain limit ended are reported as such (nothing is lost, it is unfinished). */
function ledgerCheck(r) {
  const { inFlight, lost, twice, unfinished } = ledgerFindings(r);
  const verdict = lost || twice ? '**FAILED**' : 'ok';
  const rest = unfinished > 0 ? `; **${unfinished} not processed yet when the drain limit (${r.settings.drainLimitSeconds ?? DRAIN_LIMIT_S} s) ended**` : ', all terminal';
  return `${verdict}: ${r.ledger.rows} rows for ${r.integrity.expectedRows} acks (+ ≤ ${inFlight} in flight), ${r.ledger.counted_twice} counted twice${rest}`;
}

function machine(backend) {
  let postgres = 'PostgreSQL';
  let redis = backend === 'redis' ? '?' : 'not used';
  try {
    postgres = execSync(`psql "${SERVER_URL}" -Atc "SHOW server_version"`, { encoding: 'utf8' }).trim().replace(/^/, 'PostgreSQL ').split(' (')[0];
    // A server-wide setting that changes what the ledger's tables look like after a run (dead rows, no statistics).
    if (execSync(`psql "${SERVER_URL}" -Atc "SHOW autovacuum"`, { encoding: 'utf8' }).trim() === 'off') postgres += ' (autovacuum off)';
  } catch {}
  if (backend === 'redis') try {
    redis = /redis_version:(\S+)/.exec(execSync(`redis-cli -u ${REDIS_URL} info server`, { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {}
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1e9),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    postgres,
    redis,
  };
}

function ensureWrk() {
  try {
    execSync('command -v wrk', { stdio: 'ignore' });
    return;
  } catch {}
  log('wrk is missing: installing it (Debian package wrk)');
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk`, { stdio: 'inherit' });
}

async function recreateDatabase() {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

async function clearQueues() {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function startChild(role, childEnv) {
  const out = openSync(join(workDir, `${role}.log`), 'a');
  const child = fork(join(here, 'bench-server.mjs'), [], { cwd: root, env: childEnv, stdio: ['ignore', out, out, 'ipc'] });
  const entry = { role, child, pids: [child.pid] };
  children.push(entry);
  const ready = await readyOrExit(child, (code) => `${role} exited with ${code} during start; see its log:\n${readFileSync(join(workDir, `${role}.log`), 'utf8').slice(-2000)}`);
  child.once('exit', (code, signal) => log(`${role} exited (${code ?? signal})`));
  // An api tier of several processes reports their pids: RSS is per serving process.
  if (ready.pids) entry.pids = ready.pids;
  return child;
}

/** Resolves with the child's `ready` message; rejects (with `describeExit(code)`) if it exits first. */
function readyOrExit(child, describeExit) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(describeExit(code)));
    child.once('exit', onExit);
    child.on('message', (m) => {
      if (m?.type !== 'ready') return;
      child.off('exit', onExit);
      resolve(m);
    });
  });
}

function sampleRss() {
  for (const { role, pids } of children) {
    for (const pid of pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        rssPeaks[role] = Math.max(rssPeaks[role] ?? 0, Math.round(hwm));
      } catch {}
    }
  }
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the child has exited. */
function terminate(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopChild(child) {
  await terminate(child);
  const index = children.findIndex((c) => c.child === child);
  if (index >= 0) children.splice(index, 1);
}

async function stopChildren() {
  await Promise.all(children.map(({ child }) => terminate(child)));
  if (usesRedis) await clearQueues().catch(() => undefined);
}

function runNode(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}`))));
  });
}

async function waitReady(url) {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(200);
  }
  throw new Error(`${url} not ready after 60 s`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
