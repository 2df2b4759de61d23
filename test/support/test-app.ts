import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createHttpApp, createWorkerContext } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/env.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { PrismaService } from '../../src/core/ledger/prisma.service.js';
import { logCapture } from './log-capture.js';
import { TEST_QUEUE_PREFIX, TEST_REDIS_URL, testDatabaseUrl } from './test-environment.js';

export const TEST_GITHUB_SECRET = 'test-github-secret-do-not-log';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  prisma: PrismaService;
  close(): Promise<void>;
}

/**
 * Configuration for a test process: the test database, Redis, a queue prefix of its own (so no
 * two test apps share queues unless asked to), fast retries, and no migrations (global setup ran them).
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `${TEST_QUEUE_PREFIX}-${randomUUID().slice(0, 8)}`,
    MIGRATE_ON_START: 'false',
    JOB_BACKOFF_MS: '50',
    OUTBOX_RELAY_INTERVAL_MS: '500',
    GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
    ...overrides,
  });
}

/** Boots the real HTTP application (role `all` unless overridden) on a free port. */
export async function startTestApp(overrides: Record<string, string | undefined> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await createHttpApp(config, { logDestination: logCapture() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url: await app.getUrl(),
    config,
    prisma: app.get(PrismaService),
    close: () => app.close(),
  };
}

/** Boots a worker process context (APP_ROLE=worker) on the given configuration. */
export async function startTestWorker(config: AppConfig): Promise<INestApplicationContext> {
  const worker = await createWorkerContext({ ...config, APP_ROLE: 'worker' } as AppConfig, { logDestination: logCapture() });
  await worker.init();
  return worker;
}

/** Empties the ledger between tests. */
export async function resetLedger(prisma: PrismaService): Promise<void> {
  await prisma.$executeRawUnsafe('TRUNCATE webhook_events CASCADE');
}
