-- Which process runs each agent run, so that a run left RUNNING by a process that died (kill -9,
-- out of memory, eviction) can be told from one still going. The process holds the PostgreSQL
-- advisory lock (1215002450, owner_id) on a session of its own for as long as it lives; PostgreSQL
-- releases it when the session ends. Null on runs recorded before this migration.

-- AlterTable
ALTER TABLE "agent_runs" ADD COLUMN "owner_id" INTEGER;

-- The sweep of interrupted runs reads the RUNNING ones every OUTBOX_RELAY_INTERVAL_MS in every
-- process; this index holds only those, so it stays as small as the runs in flight.
-- CreateIndex
CREATE INDEX "agent_runs_running_idx" ON "agent_runs"("started_at") WHERE "status" = 'RUNNING';
