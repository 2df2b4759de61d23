/**
 * Where the tests find PostgreSQL and Redis, as decided by test/support/global-setup.ts. Each
 * `vitest run` gets a database of its own (hookwise_test_<pid>, created from the migrations by global
 * setup and dropped afterwards), and queue names of its own (TEST_QUEUE_PREFIX), so two runs on one machine never disturb each other. Set
 * TEST_DATABASE_URL to use a fixed one.
 *
 * - PostgreSQL: TEST_POSTGRES_URL (default the local server) when it answers, otherwise an embedded
 *   PostgreSQL started for the run.
 * - Queue: TEST_QUEUE_BACKEND (redis | postgres); unset, redis when TEST_REDIS_URL answers, else postgres.
 */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Every queue key (Redis) or queue schema (PostgreSQL) this run's tests create starts with this. It
 * names the run (global setup's pid, inherited by the test workers), so that a run's clean-up at its
 * end removes its own queues and never those of another run on the same Redis.
 */
export const TEST_QUEUE_PREFIX = `hookwise-test-${process.env.HOOKWISE_TEST_RUN ?? process.pid}`;

/** The server the run's database lives on: the local one, or the embedded one global setup started. */
export function testServerUrl(): string {
  return process.env.HOOKWISE_TEST_SERVER_URL ?? TEST_POSTGRES_URL;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.HOOKWISE_TEST_DATABASE_URL;
  if (!url) throw new Error('HOOKWISE_TEST_DATABASE_URL is set by test/support/global-setup.ts; run the tests through vitest');
  return url;
}

/** The queue backend test apps use unless a test asks for another. */
export function testQueueBackend(): 'redis' | 'postgres' {
  return process.env.HOOKWISE_TEST_QUEUE_BACKEND === 'postgres' ? 'postgres' : 'redis';
}
