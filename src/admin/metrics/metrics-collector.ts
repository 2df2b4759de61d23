import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { RequestBodyBudget } from '../../core/ingest/request-body-budget.js';
import { DatabasePool } from '../../core/database/database-pool.js';
import { QueueDirectory } from '../queues/queue-directory.js';
import { HookwiseMetrics } from './hookwise-metrics.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const TOKEN_KINDS = ['input', 'output', 'cache_read', 'cache_write'] as const;
const RECONCILED_OUTCOMES = ['found', 'missing', 'redelivered', 'ingested', 'error'] as const;

/** A counter read from one query of the ledger's running totals: each row gives one or more labelled values. */
interface LedgerCounterSpec {
  name: string;
  help: string;
  labelNames: string[];
  sql: string;
  samples(row: Record<string, string>): [Record<string, string>, string | undefined][];
}

/**
 * Metrics read at scrape time rather than counted in place: queue depths from Redis, request bodies
 * in flight and refused from RequestBodyBudget, and agent tokens, cost and action outcomes from the
 * ledger (runs and actions happen in worker processes, which have no HTTP listener; the ledger is
 * what every process shares). The ledger's figures come from running totals that triggers keep
 * (migration 20261123000000_metrics_totals), so a scrape reads at most 16 rows per model and per
 * tool and status, however many runs are recorded. Also times the job attempts of this process's
 * own workers (APP_ROLE=all).
 */
@Injectable()
export class MetricsCollector implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: HookwiseMetrics,
    private readonly queues: QueueDirectory,
    private readonly database: DatabasePool,
    private readonly discovery: DiscoveryService,
    bodyBudget: RequestBodyBudget,
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
    new Gauge({
      name: 'hookwise_request_body_bytes_in_flight',
      help: 'Bytes of request bodies this process has received and not answered yet (bounded by INGEST_MAX_INFLIGHT_BYTES).',
      registers: [metrics.registry],
      collect() {
        this.set(bodyBudget.bytesInFlight);
      },
    });
    new Counter({
      name: 'hookwise_request_bodies_refused_total',
      help: 'Requests answered 503 too_many_bodies_in_flight because their body did not fit under INGEST_MAX_INFLIGHT_BYTES.',
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc(bodyBudget.refusals);
      },
    });
    const ledgerCounter = (spec: LedgerCounterSpec) =>
      new Counter({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          const { rows } = await collector.database.query<Record<string, string>>(spec.sql);
          for (const row of rows) for (const [labels, value] of spec.samples(row)) this.inc(labels, Number(value ?? 0));
        },
      });
    ledgerCounter({
      name: 'hookwise_agent_tokens_total',
      help: 'Tokens spent by agent runs, by model and kind (from the ledger).',
      labelNames: ['model', 'kind'],
      sql: `SELECT model, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
              sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens
            FROM agent_usage_totals GROUP BY model`,
      samples: (row) => TOKEN_KINDS.map((kind) => [{ model: row.model, kind }, row[`${kind}_tokens`]]),
    });
    ledgerCounter({
      name: 'hookwise_agent_cost_usd_total',
      help: 'Estimated USD spent by agent runs, by model (from the ledger).',
      labelNames: ['model'],
      sql: 'SELECT model, sum(cost_usd) AS cost_usd FROM agent_usage_totals GROUP BY model',
      samples: (row) => [[{ model: row.model }, row.cost_usd]],
    });
    ledgerCounter({
      name: 'hookwise_agent_actions_total',
      help: 'Agent actions entering each status, by tool (from the ledger; an action retried after FAILED counts under FAILED and under the status it reaches next).',
      labelNames: ['tool', 'status'],
      sql: 'SELECT tool, status::text AS status, sum(count) AS count FROM agent_action_status_totals GROUP BY tool, status',
      samples: (row) => [[{ tool: row.tool, status: row.status }, row.count]],
    });
    ledgerCounter({
      name: 'hookwise_reconciled_total',
      help: "Reconciliation against the senders' own records, by provider and outcome: found (listed by the sender), missing (not in the ledger), redelivered, ingested, error (from the runs' records in the ledger, and the totals of runs deleted after RECONCILE_RUNS_KEPT_DAYS).",
      labelNames: ['provider', 'outcome'],
      sql: `SELECT source, sum(found) AS found, sum(missing) AS missing, sum(redelivered) AS redelivered, sum(ingested) AS ingested, sum(errors) AS error
            FROM (SELECT source, found, missing, redelivered, ingested, errors FROM reconciliation_runs
                  UNION ALL SELECT source, found, missing, redelivered, ingested, errors FROM reconciliation_pruned_totals) AS counted
            GROUP BY source`,
      samples: (row) => RECONCILED_OUTCOMES.map((outcome) => [{ provider: row.source, outcome }, row[outcome]]),
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
      // BullMQ sets finishedOn only on the last failure: an attempt that will be retried ends now.
      worker.on('failed', (job: Job | undefined) => {
        if (job?.processedOn) jobDuration.observe({ queue: worker.name, outcome: 'failed' }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
      });
    }
  }
}
