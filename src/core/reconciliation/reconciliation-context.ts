import type { ReconcileResult } from './reconcile-result.js';

/** A delivery fetched from the sender's API rather than received: its JSON and the headers its definition reads. */
export interface RetrievedDelivery {
  /** The payload as the sender would have posted it (JSON). */
  body: string;
  /** Request headers the provider's definition reads (lower-case), as a delivery would carry them. */
  headers?: Record<string, string>;
}

export type RetrievedOutcome = 'ingested' | 'duplicate';

/** What ReconciliationService hands a reconciler for one run. */
export interface ReconciliationContext {
  /** Start of the window: the source's stored point (inclusive). */
  readonly since: Date;
  /** End of the window (exclusive): a little before the run started, so deliveries still in flight are left to the sender. */
  readonly until: Date;
  /** What the run found and did so far; the reconciler counts into it (a failed run keeps its counts too). */
  readonly tally: ReconcileResult;
  /** Of these delivery ids of the source's provider, the ones the ledger has. */
  knownDeliveries(deliveryIds: readonly string[]): Promise<Set<string>>;
  /**
   * Writes a retrieved delivery to the ledger with provenance `reconciled`, read by the provider's
   * own definition (`describe`) and deduplicated on (provider, delivery id) like every delivery, and
   * queues it. Throws InvalidDeliveryError for a payload the definition refuses.
   */
  ingest(delivery: RetrievedDelivery): Promise<RetrievedOutcome>;
}
