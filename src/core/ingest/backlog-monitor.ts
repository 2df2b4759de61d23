import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/env.schema.js';
import { DatabasePool } from '../database/database-pool.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { PeriodicTask } from '../scheduling/periodic-task.js';
import { registerBackpressureHook } from './backpressure.hook.js';

const REFRESH_MS = 1000;

// One index probe per status on (status, received_at); the age is computed by PostgreSQL's clock,
// so clock skew between api hosts and the database does not matter.
const OLDEST_WAITING_AGE = `
SELECT extract(epoch FROM now() - least(
  (SELECT min(received_at) FROM webhook_events WHERE status = 'RECEIVED'),
  (SELECT min(received_at) FROM webhook_events WHERE status = 'QUEUED')))::float8 AS age`;

/**
 * Knows, to within a second, how long the oldest event still waiting for a worker (RECEIVED or
 * QUEUED) has waited. Refreshed by a timer, never per request; only runs when INGEST_MAX_BACKLOG
 * is set. Events being processed or waiting for a retry do not count: they are not a backlog.
 * It installs the backpressure hook on the HTTP server (the module is only loaded where one runs).
 */
@Injectable()
export class BacklogMonitor implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BacklogMonitor.name);
  private readonly maxAgeSeconds: number | null;
  private ageSeconds = 0;
  private measuredAt = 0;
  private readonly refreshes = new PeriodicTask(() => this.measure(), REFRESH_MS);
  private overLimit = false;

  constructor(
    private readonly database: DatabasePool,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxAgeSeconds = config.INGEST_MAX_BACKLOG ?? null;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (this.enabled && fastify) registerBackpressureHook(fastify, () => this.retryAfterSeconds());
  }

  get enabled(): boolean {
    return this.maxAgeSeconds !== null;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.refreshes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('backlog monitor: measurement in flight', this.refreshes.stop());
  }

  /** Seconds a caller should wait before retrying, or null when deliveries are accepted. */
  retryAfterSeconds(): number | null {
    if (this.maxAgeSeconds === null || this.ageSeconds === 0) return null;
    const age = this.ageSeconds + (Date.now() - this.measuredAt) / 1000;
    if (age <= this.maxAgeSeconds) return null;
    return Math.min(60, Math.max(1, Math.ceil(age - this.maxAgeSeconds)));
  }

  refresh(): Promise<void> {
    return this.refreshes.runOnce();
  }

  private async measure(): Promise<void> {
    try {
      const { rows } = await this.database.query<{ age: number | null }>(OLDEST_WAITING_AGE);
      this.ageSeconds = Math.max(0, rows[0]?.age ?? 0);
    } catch {
      // Without a measurement we do not refuse work; a dead database refuses it by itself (503).
      this.ageSeconds = 0;
    }
    this.measuredAt = Date.now();
    const over = this.retryAfterSeconds() !== null;
    if (over !== this.overLimit) {
      this.overLimit = over;
      if (over) this.logger.warn(`backlog older than INGEST_MAX_BACKLOG=${this.maxAgeSeconds}s: answering webhooks 429 until it drains`);
      else this.logger.log('backlog back under INGEST_MAX_BACKLOG: accepting webhooks again');
    }
  }
}
