-- Reconciliation runs are deleted after RECONCILE_RUNS_KEPT_DAYS (ReconciliationService, after each
-- run of a source). hookwise_reconciled_total is summed from the runs, so what the deleted runs had
-- counted is added here, in the statement that deletes them: the counter only ever grows.

-- CreateTable
CREATE TABLE "reconciliation_pruned_totals" (
    "source" TEXT NOT NULL,
    "runs" BIGINT NOT NULL DEFAULT 0,
    "found" BIGINT NOT NULL DEFAULT 0,
    "missing" BIGINT NOT NULL DEFAULT 0,
    "redelivered" BIGINT NOT NULL DEFAULT 0,
    "ingested" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "reconciliation_pruned_totals_pkey" PRIMARY KEY ("source")
);
