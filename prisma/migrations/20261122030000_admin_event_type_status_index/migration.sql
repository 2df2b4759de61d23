-- DropIndex
DROP INDEX "webhook_events_event_type_received_at_idx";

-- CreateIndex
CREATE INDEX "webhook_events_event_type_status_received_at_idx" ON "webhook_events"("event_type", "status", "received_at" DESC, "id" DESC);
