import { Inject, Injectable } from '@nestjs/common';
import { networkFailureDetail } from '../../core/index.js';
import { DeploymentsConfig } from './deployments.config.js';
import type { SmokeCheck } from './release-watch-plan.js';

/** One check's result, as stored on the watch and shown to the model and in Slack. */
export interface SmokeResult {
  url: string;
  ok: boolean;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  detail: string;
}

/**
 * Runs the configured smoke checks against a deployment's URLs, all at once, each bounded by its
 * timeoutMs and all of them by DEPLOY_SMOKE_DEADLINE_MS. No credentials are sent; redirects are
 * not followed (a redirect is a failure unless it is the expected status).
 */
@Injectable()
export class SmokeChecker {
  constructor(@Inject(DeploymentsConfig) private readonly settings: DeploymentsConfig) {}

  async run(urls: readonly string[], checks: readonly SmokeCheck[]): Promise<SmokeResult[]> {
    const deadline = AbortSignal.timeout(this.settings.DEPLOY_SMOKE_DEADLINE_MS);
    const runs = urls.flatMap((base) => checks.map((check) => this.check(new URL(check.path, base).toString(), check, deadline)));
    return Promise.all(runs);
  }

  private async check(url: string, check: SmokeCheck, deadline: AbortSignal): Promise<SmokeResult> {
    const timeoutMs = Math.min(check.timeoutMs, this.settings.DEPLOY_SMOKE_DEADLINE_MS);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.any([deadline, AbortSignal.timeout(check.timeoutMs)]) });
      const text = check.body === undefined ? '' : await response.text();
      if (response.status !== check.status) return { url, ok: false, status: response.status, detail: `HTTP ${response.status}, expected ${check.status}` };
      if (check.body !== undefined && !text.includes(check.body)) {
        return { url, ok: false, status: response.status, detail: `HTTP ${response.status}, but the body lacks ${JSON.stringify(check.body)}` };
      }
      return { url, ok: true, status: response.status, detail: `HTTP ${response.status}` };
    } catch (err) {
      return { url, ok: false, status: null, detail: networkFailureDetail(err, timeoutMs) };
    }
  }
}
