import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { EmbeddedDatabase } from '../../src/core/database/embedded-database.js';
import { MigrationRunner } from '../../src/core/database/migration-runner.js';
import { QueueSchemaMigrator } from '../../src/core/queue/queue-schema-migrator.js';
import { TEST_POSTGRES_URL, TEST_QUEUE_PREFIX, TEST_REDIS_URL } from './test-environment.js';

let ownDatabase: string | null = null;
let serverUrl = TEST_POSTGRES_URL;
let embedded: { database: EmbeddedDatabase; dataDir: string } | null = null;
let redisUp = false;

/**
 * Decides where this run's storage lives (see test-environment.ts) and builds the test database
 * from the migrations (proving they apply to an empty database).
 */
export async function setup(): Promise<void> {
  process.env.HOOKWISE_TEST_RUN = String(process.pid); // see TEST_QUEUE_PREFIX
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (!(await postgresAnswers(TEST_POSTGRES_URL))) {
      const dataDir = mkdtempSync(join(tmpdir(), 'hookwise-test-pg-'));
      // Durability is not under test here; speed is.
      const database = await EmbeddedDatabase.start({ dataDir, settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
      embedded = { database, dataDir };
      const server = new URL(database.url);
      server.pathname = '/postgres';
      serverUrl = server.toString();
    }
    ownDatabase = `hookwise_test_${process.pid}`;
    const target = new URL(serverUrl);
    target.pathname = `/${ownDatabase}`;
    url = target.toString();
    await dropDatabase(ownDatabase);
  }
  process.env.HOOKWISE_TEST_SERVER_URL = serverUrl;
  process.env.HOOKWISE_TEST_DATABASE_URL = url;
  await new MigrationRunner(url).run();

  redisUp = await redisAnswers(TEST_REDIS_URL);
  const requested = process.env.TEST_QUEUE_BACKEND;
  if (requested && requested !== 'redis' && requested !== 'postgres') throw new Error(`TEST_QUEUE_BACKEND must be redis or postgres, not ${requested}`);
  if (!redisUp && process.env.CI === 'true') throw new Error(`CI=true: Redis must answer at ${TEST_REDIS_URL} (tests that need Redis may not be skipped in CI)`);
  if (requested === 'redis' && !redisUp) throw new Error(`TEST_QUEUE_BACKEND=redis, but Redis does not answer at ${TEST_REDIS_URL}`);
  const backend = requested ?? (redisUp ? 'redis' : 'postgres');
  process.env.HOOKWISE_TEST_QUEUE_BACKEND = backend;
  console.log(
    `[tests] PostgreSQL: ${embedded ? `embedded (${embedded.dataDir})` : 'local server'}; queue backend: ${backend}; ` +
      `Redis ${redisUp ? 'available' : 'unavailable (tests that need it are skipped)'}`,
  );
}

export async function teardown(): Promise<void> {
  if (ownDatabase) await dropDatabase(ownDatabase).catch(() => undefined);
  else await dropTestQueueSchemas().catch(() => undefined);
  if (redisUp) await removeTestQueues();
  if (embedded) {
    await embedded.database.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on('error', () => undefined); // refused: that is the answer
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** With a fixed TEST_DATABASE_URL: the queue schemas (QUEUE_BACKEND=postgres) the run created. */
async function dropTestQueueSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.HOOKWISE_TEST_DATABASE_URL });
  await client.connect();
  try {
    const ownPrefix = QueueSchemaMigrator.schemaFor(TEST_QUEUE_PREFIX).replace(/_queue$/, '').replaceAll('_', '\\_');
    const { rows } = await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1', [`${ownPrefix}\\_%\\_queue`]);
    for (const { name } of rows) await client.query(`DROP SCHEMA ${pg.escapeIdentifier(name)} CASCADE`);
  } finally {
    await client.end();
  }
}

async function removeTestQueues(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${TEST_QUEUE_PREFIX}-*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis may have gone away; there is nothing to clean then.
  } finally {
    redis.disconnect();
  }
}
