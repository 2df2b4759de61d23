-- The deployments provider's release watches: one row per deployment, its smoke checks, its
-- error-rate samples and its outcome, so that a restarted worker carries on with a watch.

-- CreateTable
CREATE TABLE "deploy_watches" (
    "event_id" UUID NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'WATCHING',
    "status_reason" TEXT,
    "cancelled_by" TEXT,
    "smoke_checks" JSONB NOT NULL DEFAULT '[]',
    "samples" JSONB NOT NULL DEFAULT '[]',
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deploy_watches_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "deploy_watches_deployment_id_key" ON "deploy_watches"("deployment_id");

-- CreateIndex
CREATE INDEX "deploy_watches_service_environment_status_idx" ON "deploy_watches"("service", "environment", "status");

-- AddForeignKey
ALTER TABLE "deploy_watches" ADD CONSTRAINT "deploy_watches_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
