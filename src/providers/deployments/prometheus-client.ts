import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AppConfig } from '../../config/env.schema.js';
import { networkFailureDetail } from '../../core/index.js';
import { DeploymentsConfig } from './deployments.config.js';

const answer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.union([z.array(z.object({ value: z.tuple([z.number(), z.string()]) })), z.tuple([z.number(), z.string()])]),
  }),
});

/** Instant queries against a Prometheus-compatible API (`GET /api/v1/query?query=…`). */
@Injectable()
export class PrometheusClient {
  constructor(
    @Inject(DeploymentsConfig) private readonly settings: DeploymentsConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The query's value (first series of a vector, or a scalar); null when it has no data. Throws when the API cannot be read. */
  async value(query: string): Promise<number | null> {
    const url = new URL('api/v1/query', this.settings.DEPLOY_PROMETHEUS_URL!.replace(/\/?$/, '/'));
    url.searchParams.set('query', query);
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(this.config.CONNECTOR_TIMEOUT_MS) });
    } catch (err) {
      throw new Error(`Prometheus query failed: ${networkFailureDetail(err, this.config.CONNECTOR_TIMEOUT_MS)}`);
    }
    if (!response.ok) throw new Error(`Prometheus query answered HTTP ${response.status}`);
    const parsed = answer.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new Error('Prometheus query answered something other than a vector or a scalar');
    const result = parsed.data.data.result;
    const raw = parsed.data.data.resultType === 'scalar' ? (result as [number, string])[1] : (result as Array<{ value: [number, string] }>)[0]?.value[1];
    if (raw === undefined) return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }
}
