-- Reconciliation against the providers' own records: the provenance of each ledger event, each
-- source's last reconciled point, and the runs. Adding a column with a constant default rewrites
-- nothing (PostgreSQL 11+): existing events read as `webhook`.

-- CreateEnum
CREATE TYPE "EventProvenance" AS ENUM ('webhook', 'reconciled');

-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN "provenance" "EventProvenance" NOT NULL DEFAULT 'webhook';

-- CreateTable
CREATE TABLE "reconciliation_points" (
    "source" TEXT NOT NULL,
    "reconciled_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_points_pkey" PRIMARY KEY ("source")
);

-- CreateTable
CREATE TABLE "reconciliation_runs" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "since" TIMESTAMPTZ(3) NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "found" INTEGER NOT NULL DEFAULT 0,
    "missing" INTEGER NOT NULL DEFAULT 0,
    "redelivered" INTEGER NOT NULL DEFAULT 0,
    "ingested" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reconciliation_runs_source_started_at_idx" ON "reconciliation_runs"("source", "started_at" DESC);
