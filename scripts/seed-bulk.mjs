#!/usr/bin/env node
// Fills the ledger with synthetic webhook events for benchmarks: `npm run db:seed:bulk -- 1000000`.
// Rows are generated inside PostgreSQL (generate_series), in time order, in batches written by a
// few connections at once; ids are UUIDv7 matching received_at. Provider, type, status and
// subject follow a skewed mix (mostly GitHub, mostly SUCCEEDED, a few DEAD), over the last 30 days.
// Reads DATABASE_URL (from the environment or .env). Options: --days=<n> (spread), --connections=<n>.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

if (existsSync('.env')) process.loadEnvFile('.env');

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const days = option('days', 30);
const connections = option('connections', 4);
const BATCH = 50_000;
const url = process.env.DATABASE_URL ?? 'postgresql://postgres@localhost:5432/hookwise';

if (!Number.isSafeInteger(count) || count < 1) {
  console.error('usage: npm run db:seed:bulk -- <count> [--days=30] [--connections=4]');
  process.exit(2);
}

// $1 first row number, $2 rows, $3 start epoch ms, $4 ms between rows, $5 run seed (unique delivery ids per run)
const INSERT = `
INSERT INTO webhook_events
  (id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, attempts, last_error,
   received_at, last_delivered_at, processed_at, updated_at)
SELECT
  (lpad(to_hex(ms), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
  provider, $5 || '-' || g, event_type, subject, status,
  CASE status WHEN 'DEAD' THEN 'gave up after 5 attempts' WHEN 'IGNORED' THEN 'no handler for ' || provider || ' event ' || event_type END,
  jsonb_build_object('seeded', true, 'n', g, 'action', split_part(event_type, '.', 2), 'subject', subject,
                     'sender', jsonb_build_object('login', 'user-' || (g % 5000), 'id', g % 5000),
                     'note', repeat(md5(h), 4)),
  jsonb_build_object('user-agent', 'seed-bulk', 'content-type', 'application/json'),
  CASE WHEN status IN ('DEAD', 'FAILED') THEN 5 WHEN status IN ('RECEIVED', 'QUEUED') THEN 0 ELSE 1 END,
  CASE WHEN status IN ('DEAD', 'FAILED') THEN 'connect ECONNREFUSED 10.0.0.7:443' END,
  received_at, received_at,
  CASE WHEN status IN ('SUCCEEDED', 'DEAD', 'IGNORED') THEN received_at + make_interval(secs => 0.2 + (r2 * 20)) END,
  received_at
FROM (
  SELECT g, ms, to_timestamp(ms / 1000.0) AS received_at, h, r2,
         p.provider, p.types[1 + (g % array_length(p.types, 1))] AS event_type,
         p.prefix || (g * 7919 % 1000) AS subject,
         CASE WHEN r1 < 0.80 THEN 'SUCCEEDED' WHEN r1 < 0.90 THEN 'IGNORED' WHEN r1 < 0.92 THEN 'DEAD'
              WHEN r1 < 0.94 THEN 'FAILED' WHEN r1 < 0.97 THEN 'QUEUED' WHEN r1 < 0.98 THEN 'RECEIVED'
              ELSE 'PROCESSING' END::"EventStatus" AS status
  FROM (
    SELECT g, ($3::bigint + (g * $4::float8)::bigint) AS ms, md5($5 || g) AS h,
           ((hashtext($5 || 's' || g) & 1048575) / 1048576.0) AS r1,
           ((hashtext($5 || 'p' || g) & 1048575) / 1048576.0) AS r2,
           ((hashtext($5 || 'v' || g) & 1048575) / 1048576.0) AS r3
    FROM generate_series($1::bigint, $1::bigint + $2::bigint - 1) AS g
  ) s
  CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
      (0.00, 0.60, 'github', ARRAY['push', 'pull_request.opened', 'pull_request.synchronize', 'issues.opened', 'workflow_run.completed', 'check_suite.completed'], 'octo-org/repo-'),
      (0.60, 0.80, 'stripe', ARRAY['invoice.paid', 'invoice.payment_failed', 'customer.created', 'charge.refunded'], 'cus_'),
      (0.80, 0.90, 'slack', ARRAY['message.channels', 'app_mention', 'reaction_added'], 'C0'),
      (0.90, 1.01, 'typeform', ARRAY['form_response'], 'form-')
    ) AS mix(lo, hi, provider, types, prefix)
    WHERE s.r3 >= mix.lo AND s.r3 < mix.hi
  ) p
) rows
ORDER BY g`;

const started = Date.now();
const now = Date.now();
const spanMs = days * 24 * 3600 * 1000;
const stepMs = spanMs / count;
const startMs = now - spanMs;
const runSeed = randomBytes(4).toString('hex');

const pool = new pg.Pool({ connectionString: url, max: connections });
const batches = [];
for (let first = 0; first < count; first += BATCH) batches.push([first, Math.min(BATCH, count - first)]);

let done = 0;
async function worker() {
  for (;;) {
    const batch = batches.shift();
    if (!batch) return;
    const client = await pool.connect();
    try {
      await client.query('SET synchronous_commit = off');
      await client.query(INSERT, [batch[0], batch[1], startMs, stepMs, runSeed]);
    } finally {
      client.release();
    }
    done += batch[1];
    process.stdout.write(`\r${done.toLocaleString('en')} / ${count.toLocaleString('en')} rows`);
  }
}

try {
  await Promise.all(Array.from({ length: connections }, worker));
  process.stdout.write('\nANALYZE webhook_events… ');
  await pool.query('ANALYZE webhook_events');
  const { rows } = await pool.query('SELECT count(*)::bigint AS n FROM webhook_events');
  console.log(`done: ${count.toLocaleString('en')} rows written in ${((Date.now() - started) / 1000).toFixed(1)} s (ledger now holds ${Number(rows[0].n).toLocaleString('en')})`);
} catch (err) {
  console.error(`\nseed failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
