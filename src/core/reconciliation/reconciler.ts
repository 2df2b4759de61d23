import { providerMarker } from '../discovery/discoverable-providers.js';
import type { ReconciliationContext } from './reconciliation-context.js';

/**
 * Closes the gap a sender leaves when Hookwise was away longer than it retries: compares the
 * sender's own record (its API's list of deliveries or events) with the ledger over a window, and
 * gets what is missing redelivered or ingests it. A provider contributes one through the
 * `reconcilers` of its defineWebhookProvider; ReconciliationService runs it on a schedule and on
 * demand, one run per source at a time across every process.
 */
export interface Reconciler {
  /** The source's name: the name of the provider whose ledger rows it checks. */
  readonly source: string;
  /** How far back the sender's API can look (its log of deliveries or events). */
  readonly maxWindowMs: number;
  /** Null when it can run; otherwise why not (a setting missing), shown to operators. */
  unavailableReason(): string | null;
  /**
   * Handles everything the sender recorded in [context.since, context.until), counting into
   * `context.tally` as it goes. Throws when it could not get through the window: the point then
   * stays where it was, and the next run goes over the window again (what this one did is found in
   * the ledger then).
   */
  run(context: ReconciliationContext): Promise<void>;
}

/** Marks a provider as a Reconciler, for the ReconcilerRegistry to find at boot. */
export const WebhookReconciler = providerMarker<Reconciler>();
