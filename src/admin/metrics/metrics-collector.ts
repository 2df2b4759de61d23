import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { DatabasePool } from '../../core/ledger/database-pool.js';
import { QueueDirectory } from '../queues/queue-directory.js';
import { HookwiseMetrics } from './hookwise-metrics.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Metrics read at scrape time rather than counted in place: queue depths from Redis, and agent
 * tokens, cost and action outcomes from the ledger (runs and actions happen in worker processes,
 * which have no HTTP listener; the ledger is what every process shares). Also times the job
 * attempts of this process's own workers (APP_ROLE=all).
 */
@Injectable()
export class MetricsCollector implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: HookwiseMetrics,
    private readonly queues: QueueDirectory,
    private readonly database: DatabasePool,
    private readonly discovery: DiscoveryService,
  ) {
    const collector = this;
    new Gauge({
      name: 'hookwise_queue_jobs',
      help: 'Jobs per webhook queue and state (read from Redis at scrape time).',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const { queue } of collector.queues.all()) {
          const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
          if (counts) for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Counter({
      name: 'hookwise_agent_tokens_total',
      help: 'Tokens spent by agent runs, by model and kind (from the ledger).',
      labelNames: ['model', 'kind'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const { rows } = await collector.database.query<Record<string, string>>(
          `SELECT model, sum(input_tokens) AS input, sum(output_tokens) AS output,
                  sum(cache_read_tokens) AS cache_read, sum(cache_write_tokens) AS cache_write
           FROM agent_runs GROUP BY model`,
        );
        for (const row of rows) {
          for (const kind of ['input', 'output', 'cache_read', 'cache_write']) this.inc({ model: row.model, kind }, Number(row[kind] ?? 0));
        }
      },
    });
    new Counter({
      name: 'hookwise_agent_cost_usd_total',
      help: 'Estimated USD spent by agent runs, by model (from the ledger).',
      labelNames: ['model'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const { rows } = await collector.database.query<{ model: string; cost: string | null }>(
          'SELECT model, coalesce(sum(cost_usd), 0) AS cost FROM agent_runs GROUP BY model',
        );
        for (const row of rows) this.inc({ model: row.model }, Number(row.cost ?? 0));
      },
    });
    new Counter({
      name: 'hookwise_agent_actions_total',
      help: 'Agent actions by tool and outcome status (from the ledger).',
      labelNames: ['tool', 'status'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const { rows } = await collector.database.query<{ tool: string; status: string; count: string }>(
          'SELECT tool, status::text AS status, count(*) AS count FROM agent_actions GROUP BY tool, status',
        );
        for (const row of rows) this.inc({ tool: row.tool, status: row.status }, Number(row.count));
      },
    });
  }

  onApplicationBootstrap(): void {
    const { jobDuration } = this.metrics;
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      const worker = instance.worker;
      worker.on('completed', (job: Job) => {
        if (job.processedOn && job.finishedOn) jobDuration.observe({ queue: worker.name, outcome: 'completed' }, (job.finishedOn - job.processedOn) / 1000);
      });
      worker.on('failed', (job: Job | undefined) => {
        if (job?.processedOn && job.finishedOn) jobDuration.observe({ queue: worker.name, outcome: 'failed' }, (job.finishedOn - job.processedOn) / 1000);
      });
    }
  }
}
