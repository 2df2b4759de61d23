import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../../core/database/database-pool.js';
import { HookwiseMetrics } from '../metrics/hookwise-metrics.js';
import { QUEUE_STATES } from '../metrics/metrics-collector.js';
import { QueueDirectory } from '../queues/queue-directory.js';
import type { StatsDto, QueueDepthDto } from './dto/stats.dto.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** GET /admin/stats: what came in, how fast it was handled, what the agents cost, what is waiting. */
@Injectable()
export class AdminStatsService {
  constructor(
    private readonly database: DatabasePool,
    private readonly queues: QueueDirectory,
    private readonly metrics: HookwiseMetrics,
  ) {}

  async stats(range: { from?: string; to?: string }): Promise<StatsDto> {
    const to = range.to ? new Date(range.to) : new Date();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - DAY_MS);
    const [counts, processing, usage, oldest, queues, ack] = await Promise.all([
      this.database.query<{ provider: string; status: string; count: string }>(
        `SELECT provider, status::text AS status, count(*) AS count FROM webhook_events
         WHERE received_at >= $1 AND received_at < $2 GROUP BY provider, status ORDER BY provider, status`,
        [from, to],
      ),
      this.database.query<{ count: string; p50: number | null; p95: number | null; p99: number | null }>(
        `SELECT count(*) AS count,
                percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at) * 1000) AS p
         FROM webhook_events
         WHERE received_at >= $1 AND received_at < $2 AND processed_at IS NOT NULL AND status <> 'IGNORED'`,
        [from, to],
      ),
      this.database.query<Record<string, string>>(
        `SELECT model, count(*) AS runs, sum(input_tokens) AS input, sum(output_tokens) AS output,
                sum(cache_read_tokens) AS cache_read, sum(cache_write_tokens) AS cache_write, coalesce(sum(cost_usd), 0) AS cost
         FROM agent_runs WHERE started_at >= $1 AND started_at < $2 GROUP BY model ORDER BY model`,
        [from, to],
      ),
      // One index probe per status on (status, received_at).
      this.database.query<{ age: number | null }>(
        `SELECT extract(epoch FROM now() - min(oldest)) AS age FROM (
           SELECT (SELECT min(received_at) FROM webhook_events WHERE status = s) AS oldest
           FROM unnest(ARRAY['RECEIVED', 'QUEUED', 'PROCESSING', 'FAILED']::"EventStatus"[]) AS s
         ) per_status`,
      ),
      this.queueDepths(),
      this.metrics.ackPercentiles(),
    ]);
    const p = (processing.rows[0] as unknown as { p: number[] | null; count: string }) ?? { p: null, count: '0' };
    const round = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round(ms * 1000) / 1000);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      events: counts.rows.map((r) => ({ provider: r.provider, status: r.status, count: Number(r.count) })),
      ackLatency: {
        count: ack.count,
        p50Ms: round(ack.p50 === null ? null : ack.p50 * 1000),
        p95Ms: round(ack.p95 === null ? null : ack.p95 * 1000),
        p99Ms: round(ack.p99 === null ? null : ack.p99 * 1000),
        source: 'this process since it started (histogram hookwise_webhook_ack_duration_seconds); from/to do not apply',
      },
      processingLatency: {
        count: Number(p.count),
        p50Ms: round(p.p?.[0]),
        p95Ms: round(p.p?.[1]),
        p99Ms: round(p.p?.[2]),
        source: 'ledger: processed_at - received_at of events received in [from, to) that reached a terminal status (IGNORED at ingest excluded)',
      },
      agentUsage: usage.rows.map((r) => ({
        model: r.model,
        runs: Number(r.runs),
        inputTokens: Number(r.input),
        outputTokens: Number(r.output),
        cacheReadTokens: Number(r.cache_read),
        cacheWriteTokens: Number(r.cache_write),
        costUsd: Number(r.cost),
      })),
      queues,
      oldestUnprocessedAgeSeconds: oldest.rows[0]?.age === null || oldest.rows[0]?.age === undefined ? null : Math.round(Number(oldest.rows[0].age) * 1000) / 1000,
    };
  }

  private async queueDepths(): Promise<QueueDepthDto[]> {
    return Promise.all(
      this.queues.all().map(async ({ provider, queue }) => {
        const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
        const depth = (state: (typeof QUEUE_STATES)[number]) => (counts ? (counts[state] ?? 0) : null) as number;
        return { provider, queue: queue.name, waiting: depth('waiting'), active: depth('active'), delayed: depth('delayed'), failed: depth('failed') };
      }),
    );
  }
}
