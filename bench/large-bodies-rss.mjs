// Peak RSS of one api process while many large webhook bodies arrive at once (issue 5: RSS ≤ 300 MB
// under load). Starts the compiled service (dist/, `npm run build` first) as one APP_ROLE=api
// process on a database of its own, sends UPLOADS concurrent uploads of BODY_BYTES each, ROUNDS
// times, and prints the answers and the process's RSS: at rest, the highest sampled during each
// round (every 10 ms), and the kernel's high-water mark (VmHWM) at the end.
//
//   node bench/large-bodies-rss.mjs                                  # 200 × 5 MB, forged signatures
//   RSS_KIND=signed node bench/large-bodies-rss.mjs                  # correctly signed: parsed and stored
//   INGEST_MAX_INFLIGHT_BYTES=0 node bench/large-bodies-rss.mjs      # with the bound off
//
// Settings: RSS_UPLOADS (200), RSS_BODY_BYTES (5000000), RSS_ROUNDS (3), RSS_KIND (forged | signed);
// every other variable (INGEST_MAX_INFLIGHT_BYTES, WEBHOOK_BODY_LIMIT…) goes to the api process.
// Needs the local PostgreSQL and Redis (TEST_POSTGRES_URL / TEST_REDIS_URL as in the tests).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_SECRET, signature } from './bench-delivery.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const UPLOADS = Number(process.env.RSS_UPLOADS ?? 200);
const BODY_BYTES = Number(process.env.RSS_BODY_BYTES ?? 5_000_000);
const ROUNDS = Number(process.env.RSS_ROUNDS ?? 3);
const KIND = process.env.RSS_KIND ?? 'forged';
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE = `hookwise_rss_${process.pid}`;
const PORT = 20000 + (process.pid % 20000);

// A GitHub-shaped JSON document padded to BODY_BYTES: one body, shared by every upload (GitHub signs
// the body only, so each upload is a new delivery under its own X-GitHub-Delivery).
const head = '{"action":"opened","repository":{"full_name":"octo-org/large-bodies"},"padding":"';
const body = Buffer.from(head + 'x'.repeat(Math.max(0, BODY_BYTES - head.length - 3)) + '"}\n');
const bodySignature = KIND === 'signed' ? signature(body) : signature(body, 'not-the-secret');

function rssMb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
}

function upload() {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: 'POST',
        path: '/webhooks/github',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-github-event': 'issues',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': bodySignature,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(String(response.statusCode)));
      },
    );
    request.on('error', (err) => resolve(err.code ?? err.message));
    request.end(body);
  });
}

async function withDatabaseServer(run) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${DATABASE}` }).toString();
const api = fork(join(here, 'bench-server.mjs'), [], {
  cwd: join(here, '..'),
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  env: {
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...process.env,
    APP_ROLE: 'api',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_BACKEND: 'redis',
    QUEUE_PREFIX: `rss-${randomUUID().slice(0, 8)}`,
    GITHUB_WEBHOOK_SECRET: BENCH_SECRET,
  },
});
try {
  await new Promise((resolve, reject) => {
    api.once('exit', (code) => reject(new Error(`the api exited with ${code} during start`)));
    api.on('message', (message) => message?.type === 'ready' && resolve());
  });
  const setting = process.env.INGEST_MAX_INFLIGHT_BYTES ?? '(default)';
  console.log(`${UPLOADS} concurrent uploads of ${body.length} bytes (${KIND}), ${ROUNDS} rounds; INGEST_MAX_INFLIGHT_BYTES=${setting}`);
  console.log(`api pid ${api.pid}: RSS at rest ${rssMb(api.pid, 'VmRSS')} MB`);
  for (let round = 1; round <= ROUNDS; round++) {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(api.pid, 'VmRSS'))), 10);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: UPLOADS }, upload));
    clearInterval(sampler);
    const counts = {};
    for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
    console.log(`round ${round}: ${Date.now() - started} ms, answers ${JSON.stringify(counts)}, highest RSS sampled ${peak} MB`);
  }
  console.log(`api VmHWM (peak RSS over the whole run) ${rssMb(api.pid, 'VmHWM')} MB`);
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => (api.exitCode !== null ? resolve() : api.once('exit', resolve)));
  await withDatabaseServer((client) => client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
}
