-- The outbox relay's reconciliation reads events that should have a job (QUEUED, PROCESSING, FAILED)
-- in id order. No index served that: PostgreSQL walked the primary key through every finished event
-- before the first unfinished one, or bitmap-scanned and sorted them all. With 2,000,000 events and a
-- backlog of 20,000 QUEUED ones (a rate limit holding them back), one pass took 770-860 ms, every
-- OUTBOX_RELAY_INTERVAL_MS in every process; with this index 1.5-4.5 ms.
-- It holds only unfinished events, so it stays as small as the backlog. Building it reads the whole
-- table while writes to it wait: ~0.36 s for 2,000,000 events on the development machine.

-- CreateIndex
CREATE INDEX "webhook_events_unfinished_idx" ON "webhook_events"("id") WHERE "status" IN ('RECEIVED', 'QUEUED', 'PROCESSING', 'FAILED');
