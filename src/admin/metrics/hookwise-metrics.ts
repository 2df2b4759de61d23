import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds; ingest answers in milliseconds, so the low end is fine-grained. */
const ACK_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The process's Prometheus registry (a private one, so two apps in one process, as in the tests,
 * never share series). Ingest-path metrics are updated in place (one increment, one observe);
 * queue depths and agent/action figures are read when /metrics is scraped (metrics-collector.ts).
 */
@Injectable()
export class HookwiseMetrics {
  readonly registry = new Registry();

  readonly webhookRequests = new Counter({
    name: 'hookwise_webhook_requests_total',
    help: 'Webhook deliveries answered, by provider and HTTP status.',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });

  readonly ackDuration = new Histogram({
    name: 'hookwise_webhook_ack_duration_seconds',
    help: 'Time from receiving a webhook delivery to answering it.',
    labelNames: ['provider'] as const,
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'hookwise_job_duration_seconds',
    help: 'Duration of webhook job attempts run by this process, by queue and outcome.',
    labelNames: ['queue', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookwise_' });
  }

  /** p50/p95/p99 of the acknowledgement histogram (all providers), interpolated within buckets. */
  async ackPercentiles(): Promise<{ count: number; p50: number | null; p95: number | null; p99: number | null }> {
    const { values } = await this.ackDuration.get();
    const buckets = new Map<number, number>();
    let count = 0;
    for (const value of values) {
      if (value.metricName === 'hookwise_webhook_ack_duration_seconds_bucket') {
        const bound = (value.labels as Record<string, string | number | undefined>).le;
        const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
        buckets.set(le, (buckets.get(le) ?? 0) + value.value);
      } else if (value.metricName === 'hookwise_webhook_ack_duration_seconds_count') {
        count += value.value;
      }
    }
    const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
    const quantile = (q: number): number | null => {
      if (count === 0) return null;
      const rank = q * count;
      let previousLe = 0;
      let previousCount = 0;
      for (const [le, cumulative] of sorted) {
        if (cumulative >= rank) {
          if (!Number.isFinite(le)) return previousLe;
          const inBucket = cumulative - previousCount;
          const fraction = inBucket === 0 ? 1 : (rank - previousCount) / inBucket;
          return previousLe + (le - previousLe) * fraction;
        }
        previousLe = le;
        previousCount = cumulative;
      }
      return previousLe;
    };
    return { count, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) };
  }
}
