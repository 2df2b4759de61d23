import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { uuidv7 } from './core/http/uuid-v7.js';
import { setupOpenApi } from './admin/openapi/setup-open-api.js';
import { AppModule } from './app.module.js';
import { AppRole, type AppConfig } from './config/env.schema.js';
import type { AppOptions } from './app-options.js';
import { ClientErrorFilter } from './core/http/client-error.filter.js';
import { drainConnectionsOnClose } from './core/http/drain-connections.js';
import { continueWhenReadingBody } from './core/http/expect-continue.js';
import { httpTimeouts } from './core/http/http-timeouts.js';
import { answerWrongMethodOnWebhooks } from './core/http/method-not-allowed.js';
import { exitIfShutdownOverruns } from './core/lifecycle/shutdown-deadline.js';
import { registerBodyParsers } from './core/ingest/raw-body.js';
import { logWebhookRequests } from './core/http/webhook-access-log.js';
import { WorkerModule } from './worker.module.js';

export type HookwiseApp = NestFastifyApplication | INestApplicationContext;

/** Builds the HTTP application (api and all roles). It is not listening yet. */
export async function createHttpApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  // Request ids are UUIDv7: the id of a request that creates an event is also its ledger id.
  const adapter = new FastifyAdapter({
    bodyLimit: config.WEBHOOK_BODY_LIMIT,
    ...httpTimeouts(config.HTTP_REQUEST_TIMEOUT_MS),
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    genReqId: () => uuidv7(),
  });
  registerBodyParsers(adapter.getInstance(), config.WEBHOOK_BODY_LIMIT);
  // First of the preParsing hooks: 100 Continue goes out before anything starts reading the body.
  continueWhenReadingBody(adapter.getInstance());
  // Half the stop's budget at most, so the queues and the ledger still have time to close.
  drainConnectionsOnClose(adapter.getInstance(), Math.min(config.HTTP_REQUEST_TIMEOUT_MS, Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2)));
  answerWrongMethodOnWebhooks(adapter.getInstance());
  logWebhookRequests(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ClientErrorFilter(app.getHttpAdapter(), config.WEBHOOK_BODY_LIMIT));
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}

/** Builds the worker: processors only, no HTTP listener. */
export async function createWorkerContext(config: AppConfig, options: AppOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, options), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

/** Starts the process for its APP_ROLE. */
export async function start(config: AppConfig, options: AppOptions = {}): Promise<HookwiseApp> {
  const app = config.APP_ROLE === AppRole.Worker ? await startWorker(config, options) : await startHttp(config, options);
  exitIfShutdownOverruns(config.SHUTDOWN_TIMEOUT_MS, app.get(Logger));
  return app;
}

async function startWorker(config: AppConfig, options: AppOptions): Promise<INestApplicationContext> {
  const worker = await createWorkerContext(config, options);
  await worker.init();
  worker.get(Logger).log(`hookwise worker started (role=${config.APP_ROLE}, queue=${config.QUEUE_BACKEND})`, 'Bootstrap');
  return worker;
}

async function startHttp(config: AppConfig, options: AppOptions): Promise<NestFastifyApplication> {
  const app = await createHttpApp(config, options);
  await app.listen({ port: config.PORT, host: config.HOST });
  app.get(Logger).log(`hookwise listening on ${await app.getUrl()} (role=${config.APP_ROLE}, queue=${config.QUEUE_BACKEND})`, 'Bootstrap');
  return app;
}

/** TRUST_PROXY as Fastify understands it: trust every proxy, none, or these addresses. */
function trustProxySetting(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value.split(',').map((address) => address.trim());
}
