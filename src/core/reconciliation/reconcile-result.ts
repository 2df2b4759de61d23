/** What one run of a reconciler did, counted over its window. */
export interface ReconcileResult {
  /** Deliveries or events the source listed in the window. */
  found: number;
  /** Of those, the ones the ledger did not have (or that had failed and are not in it). */
  missing: number;
  /** Asked the source to deliver again (it then arrives signed, through the endpoint). */
  redelivered: number;
  /** Fetched and written to the ledger directly, with provenance `reconciled`. */
  ingested: number;
  /**
   * What could not be handled and never will be (the source refused the redelivery for good, an
   * event the ledger cannot accept): counted and left behind. A failure that a later run may get
   * past (the API down, rate limited) is thrown instead: the run fails and the point stays.
   */
  errors: string[];
}

/** An empty result, to count into. */
export function emptyReconcileResult(): ReconcileResult {
  return { found: 0, missing: 0, redelivered: 0, ingested: 0, errors: [] };
}
