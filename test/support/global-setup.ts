import { Redis } from 'ioredis';
import pg from 'pg';
import { MigrationRunner } from '../../src/core/ledger/migration-runner.js';
import { TEST_QUEUE_PREFIX, TEST_REDIS_URL, TEST_SERVER_URL } from './test-environment.js';

let ownDatabase: string | null = null;

/** Builds this run's test database from the migrations (proving they apply to an empty database). */
export async function setup(): Promise<void> {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    ownDatabase = `hookwise_test_${process.pid}`;
    const target = new URL(TEST_SERVER_URL);
    target.pathname = `/${ownDatabase}`;
    url = target.toString();
    await dropDatabase(ownDatabase);
  }
  process.env.HOOKWISE_TEST_DATABASE_URL = url;
  await new MigrationRunner(url).run();
}

export async function teardown(): Promise<void> {
  if (ownDatabase) await dropDatabase(ownDatabase).catch(() => undefined);
  await removeTestQueues();
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
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
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${TEST_QUEUE_PREFIX}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis may be unreachable; there is nothing to clean then.
  } finally {
    redis.disconnect();
  }
}
