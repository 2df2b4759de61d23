import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { createHttpApp, createWorkerContext } from '../../src/bootstrap.js';
import type { WebhookProvider } from '../../src/core/provider-kit/define-webhook-provider.js';
import { webhookProviders } from '../../src/providers/index.js';
import type { AppConfig } from '../../src/config/env.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { settingsClasses } from '../../src/settings-classes.js';
import { PrismaService } from '../../src/core/database/prisma.service.js';
import { QueueSchemaMigrator } from '../../src/core/queue/queue-schema-migrator.js';
import { withinDeadline } from './hang-report.js';
import { logCapture } from './log-capture.js';
import { syntheticProvider } from './synthetic-provider/index.js';
import { TEST_QUEUE_PREFIX, TEST_REDIS_URL, testDatabaseUrl, testQueueBackend } from './test-environment.js';

export const TEST_GITHUB_SECRET = 'test-github-secret-do-not-log';

/** What a test app receives: every real provider, and the core's synthetic test provider. */
export const TEST_PROVIDERS: readonly WebhookProvider[] = [...webhookProviders, syntheticProvider];

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  prisma: PrismaService;
  close(): Promise<void>;
}

/**
 * Configuration for a test process: the test database, the run's queue backend (Redis, or the
 * PostgreSQL queue: see test-environment.ts), a queue prefix of its own (so no two test apps share
 * queues unless asked to), fast retries, and no migrations (global setup ran them). Every settings
 * class is loaded, as in main: overrides name any variable (`{ SLACK_BOT_TOKEN: 'xoxb-test' }`).
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const backend = testQueueBackend();
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: testDatabaseUrl(),
    QUEUE_BACKEND: backend,
    REDIS_URL: backend === 'redis' ? TEST_REDIS_URL : undefined,
    QUEUE_PREFIX: `${TEST_QUEUE_PREFIX}-${randomUUID().slice(0, 8)}`,
    MIGRATE_ON_START: 'false',
    JOB_BACKOFF_MS: '50',
    OUTBOX_RELAY_INTERVAL_MS: '500',
    GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
    // No scheduled reconciliation behind a test's back (it would call the API stand-ins); tests run it on demand.
    RECONCILE_INTERVAL: 'off',
    ...overrides,
  }, [...settingsClasses, ...TEST_PROVIDERS.flatMap((provider) => provider.settings)]);
}

/** Boots the real HTTP application (role `all` unless overridden) on a free port. */
export async function startTestApp(overrides: Record<string, string | undefined> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await withinDeadline('starting the test app', APP_DEADLINE_MS, listeningApp(config));
  return {
    app,
    url: await app.getUrl(),
    config,
    prisma: app.get(PrismaService),
    close: () => withinDeadline('closing the test app', APP_DEADLINE_MS, app.close()),
  };
}

/** Under the test timeout (30 s), so that a start or close that hangs reports what it waits for. */
const APP_DEADLINE_MS = 20_000;

async function listeningApp(config: AppConfig): Promise<NestFastifyApplication> {
  await prepareQueueSchema(config);
  const app = await createHttpApp(config, { logDestination: logCapture(), providers: TEST_PROVIDERS });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** Boots a worker process context (APP_ROLE=worker) on the given configuration. */
export async function startTestWorker(config: AppConfig): Promise<INestApplicationContext> {
  await prepareQueueSchema(config);
  const worker = await createWorkerContext({ ...config, APP_ROLE: 'worker' } as AppConfig, { logDestination: logCapture(), providers: TEST_PROVIDERS });
  await worker.init();
  return worker;
}

/**
 * On the PostgreSQL queue each prefix is a schema of its own, migrated here as MIGRATE_ON_START
 * would (test apps start with it off). A test pointing DATABASE_URL elsewhere prepares its own.
 */
async function prepareQueueSchema(config: AppConfig): Promise<void> {
  if (config.QUEUE_BACKEND !== 'postgres' || config.DATABASE_URL !== testDatabaseUrl()) return;
  await new QueueSchemaMigrator(config.DATABASE_URL, QueueSchemaMigrator.schemaFor(config.QUEUE_PREFIX)).run();
}

/** Empties the ledger between tests (through a test app's PrismaService or a test's own client). */
export async function resetLedger(prisma: Pick<PrismaService, '$executeRawUnsafe'>): Promise<void> {
  await prisma.$executeRawUnsafe('TRUNCATE webhook_events CASCADE');
}
