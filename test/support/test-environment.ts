/**
 * Where the tests find PostgreSQL and Redis. Each `vitest run` gets a database of its own
 * (hookwise_test_<pid>, created from the migrations by global setup and dropped afterwards), so
 * two runs on one machine never disturb each other. Set TEST_DATABASE_URL to use a fixed one.
 */
export const TEST_SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every queue key the tests create starts with this, so teardown can remove them all. */
export const TEST_QUEUE_PREFIX = 'hookwise-test';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.HOOKWISE_TEST_DATABASE_URL;
  if (!url) throw new Error('HOOKWISE_TEST_DATABASE_URL is set by test/support/global-setup.ts; run the tests through vitest');
  return url;
}
