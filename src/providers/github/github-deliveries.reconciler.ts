import { Inject, Injectable } from '@nestjs/common';
import { GithubConnector, type GithubHookDelivery } from '../../connectors/github/github.connector.js';
import { githubHookName, parseGithubHooks, type GithubHook } from '../../connectors/github/github-hook.js';
import { isPermanentHttpStatus, PermanentError, type ReconciliationContext, type Reconciler, WebhookReconciler } from '../../core/index.js';
import { GITHUB } from './github-webhook.provider.js';
import { GithubConfig } from './github.config.js';

/** GitHub keeps a hook's deliveries, and redelivers them on request, for 30 days. */
const GITHUB_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * GitHub never redelivers a failed delivery by itself. For each configured hook (and the GitHub
 * App's, with app credentials) this reads GitHub's record of deliveries back to the window's start
 * and asks GitHub to redeliver every delivery the ledger does not have: it then arrives signed,
 * through the endpoint and its dedup, like any delivery. A delivery the ledger has is never
 * redelivered, whatever GitHub recorded. One that Hookwise refused for good (a 4xx other than
 * 408/429: a bad signature, a payload it cannot take) is left alone too: a redelivery would be
 * refused the same way, and each refusal would be redelivered again on the next run.
 */
@Injectable()
@WebhookReconciler()
export class GithubDeliveriesReconciler implements Reconciler {
  readonly source = GITHUB;
  readonly maxWindowMs = GITHUB_WINDOW_MS;
  private readonly hooks: GithubHook[];

  constructor(
    private readonly github: GithubConnector,
    @Inject(GithubConfig) config: GithubConfig,
  ) {
    this.hooks = parseGithubHooks(config.GITHUB_RECONCILE_HOOKS);
  }

  unavailableReason(): string | null {
    return this.targets().length ? null : 'neither GITHUB_RECONCILE_HOOKS nor GitHub App credentials (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY) are set';
  }

  async run(context: ReconciliationContext): Promise<void> {
    for (const hook of this.targets()) await this.reconcileHook(hook, context);
  }

  private targets(): GithubHook[] {
    return this.github.hasAppCredentials() ? [...this.hooks, { kind: 'app' }] : this.hooks;
  }

  private async reconcileHook(hook: GithubHook, context: ReconciliationContext): Promise<void> {
    const { since, until, tally } = context;
    // The attempts of each delivery in the window, newest first (a redelivery is an attempt with the same guid).
    const attempts = new Map<string, GithubHookDelivery[]>();
    for await (const page of this.github.hookDeliveries(hook)) {
      for (const delivery of page) {
        if (delivery.deliveredAt >= until || delivery.deliveredAt < since) continue;
        const seen = attempts.get(delivery.guid);
        if (seen) seen.push(delivery);
        else attempts.set(delivery.guid, [delivery]);
      }
      if (page.length === 0 || page[page.length - 1].deliveredAt < since) break;
    }
    tally.found += attempts.size;
    const known = await context.knownDeliveries([...attempts.keys()]);
    for (const [guid, tries] of attempts) {
      if (known.has(guid)) continue;
      tally.missing++;
      const latest = tries[0];
      if (isPermanentHttpStatus(latest.statusCode)) {
        tally.errors.push(`${githubHookName(hook)}: delivery ${guid} (${latest.event}) was refused with ${latest.statusCode}; not redelivered`);
        continue;
      }
      try {
        await this.github.redeliverHookDelivery(hook, latest.id);
        tally.redelivered++;
      } catch (err) {
        // Too old, or gone from GitHub's record: counted, and the window moves on. Anything else fails the run.
        if (!(err instanceof PermanentError)) throw err;
        tally.errors.push(`${githubHookName(hook)}: delivery ${guid}: ${err.message}`);
      }
    }
  }
}
