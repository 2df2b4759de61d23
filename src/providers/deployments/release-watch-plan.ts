import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { secretList } from '../../config/load-config.js';
import type { ToolPolicy } from '../../core/index.js';
import { DeploymentsConfig } from './deployments.config.js';

/** One configured HTTP smoke check, run against each URL of a deployment. */
export const smokeCheckSchema = z.strictObject({
  path: z.string().startsWith('/'),
  status: z.number().int().min(100).max(599).default(200),
  /** A substring the answer's body must contain. */
  body: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(50).max(60_000).default(5_000),
});
export type SmokeCheck = z.infer<typeof smokeCheckSchema>;

const smokeChecksSetting = z.record(z.string(), z.array(smokeCheckSchema));
const queriesSetting = z.record(z.string(), z.string().min(1));

/** What the release watch does for a service and environment, read from DeploymentsConfig once. */
@Injectable()
export class ReleaseWatchPlan {
  private readonly smoke: Record<string, SmokeCheck[]>;
  private readonly queries: Record<string, string>;
  private readonly autoEnvironments: ReadonlySet<string>;

  constructor(@Inject(DeploymentsConfig) readonly settings: DeploymentsConfig) {
    // Both are JSON already (class-validator); a wrong shape fails the boot with the variable named.
    this.smoke = parsed('DEPLOY_SMOKE_CHECKS', smokeChecksSetting, settings.DEPLOY_SMOKE_CHECKS);
    this.queries = parsed('DEPLOY_ERROR_RATE_QUERIES', queriesSetting, settings.DEPLOY_ERROR_RATE_QUERIES);
    this.autoEnvironments = new Set(secretList(settings.DEPLOY_AUTO_ROLLBACK_ENVIRONMENTS));
  }

  smokeChecksFor(service: string, environment: string): SmokeCheck[] {
    return this.smoke[`${service}/${environment}`] ?? this.smoke[service] ?? this.smoke['*'] ?? [];
  }

  /** The error-rate query for this deployment, or null when there is no watch to run. */
  errorRateQueryFor(service: string, environment: string): string | null {
    const query = this.queries[service] ?? this.queries['*'];
    if (!query || !this.settings.DEPLOY_PROMETHEUS_URL) return null;
    return query.replaceAll('$service', service).replaceAll('$environment', environment);
  }

  rollbackPolicyFor(environment: string): ToolPolicy {
    return this.autoEnvironments.has(environment) ? 'auto' : 'approval';
  }
}

function parsed<T>(variable: string, schema: z.ZodType<T>, value: string | undefined): T | Record<string, never> {
  if (!value) return {};
  const result = schema.safeParse(JSON.parse(value));
  if (!result.success) throw new Error(`${variable} is not valid: ${z.prettifyError(result.error)}`);
  return result.data;
}
