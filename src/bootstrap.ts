import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';
import { setupOpenApi } from './admin/openapi/setup-open-api.js';
import { AppModule } from './app.module.js';
import { AppRole, type AppConfig } from './config/env.schema.js';
import type { CoreModuleOptions } from './core/core.module.js';
import { drainConnectionsOnClose } from './core/http/drain-connections.js';
import { registerBodyParsers } from './core/ingest/raw-body.js';
import { MigrationRunner } from './core/ledger/migration-runner.js';
import { WorkerModule } from './worker.module.js';

export type HookwiseApp = NestFastifyApplication | INestApplicationContext;

/** Builds the HTTP application (api and all roles). It is not listening yet. */
export async function createHttpApp(config: AppConfig, options: CoreModuleOptions = {}): Promise<NestFastifyApplication> {
  // Request ids are UUIDv7: the id of a request that creates an event is also its ledger id.
  const adapter = new FastifyAdapter({ bodyLimit: config.WEBHOOK_BODY_LIMIT, trustProxy: true, genReqId: () => uuidv7() });
  registerBodyParsers(adapter.getInstance(), config.WEBHOOK_BODY_LIMIT);
  drainConnectionsOnClose(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}

/** Builds the worker: processors only, no HTTP listener. */
export async function createWorkerContext(config: AppConfig, options: CoreModuleOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

export async function migrateIfEnabled(config: AppConfig, log: (line: string) => void): Promise<void> {
  if (!config.MIGRATE_ON_START) return;
  const report = await new MigrationRunner(config.DATABASE_URL, undefined, log).run();
  log(`database schema up to date (${report.applied.length} migration(s) applied now, ${report.alreadyApplied} before)`);
}

/** Starts the process for its APP_ROLE. */
export async function start(config: AppConfig, options: CoreModuleOptions = {}): Promise<HookwiseApp> {
  if (config.APP_ROLE === AppRole.Worker) {
    const worker = await createWorkerContext(config, options);
    await worker.init();
    worker.get(Logger).log(`hookwise worker started (role=${config.APP_ROLE})`, 'Bootstrap');
    return worker;
  }
  const app = await createHttpApp(config, options);
  await app.listen({ port: config.PORT, host: config.HOST });
  app.get(Logger).log(`hookwise listening on ${await app.getUrl()} (role=${config.APP_ROLE})`, 'Bootstrap');
  return app;
}
