-- CreateEnum
CREATE TYPE "AgentRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "AgentActionStatus" AS ENUM ('EXECUTING', 'EXECUTED', 'DRY_RUN', 'PENDING_APPROVAL', 'REJECTED', 'FAILED');

-- CreateTable
CREATE TABLE "agent_runs" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "status" "AgentRunStatus" NOT NULL DEFAULT 'RUNNING',
    "stop_reason" TEXT,
    "iterations" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(12,6),
    "latency_ms" INTEGER,
    "final_text" TEXT,
    "answer" JSONB,
    "error" TEXT,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "replay_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "agent_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_actions" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "run_id" UUID,
    "agent" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "arguments" JSONB NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" "AgentActionStatus" NOT NULL,
    "policy" TEXT NOT NULL,
    "status_reason" TEXT,
    "result" JSONB,
    "error" TEXT,
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "rejected_by" TEXT,
    "rejected_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "executed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_runs_event_id_started_at_idx" ON "agent_runs"("event_id", "started_at");

-- CreateIndex
CREATE INDEX "agent_runs_agent_started_at_idx" ON "agent_runs"("agent", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "agent_actions_idempotency_key_key" ON "agent_actions"("idempotency_key");

-- CreateIndex
CREATE INDEX "agent_actions_event_id_created_at_idx" ON "agent_actions"("event_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_actions_run_id_idx" ON "agent_actions"("run_id");

-- CreateIndex
CREATE INDEX "agent_actions_status_created_at_idx" ON "agent_actions"("status", "created_at");

-- AddForeignKey
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_actions" ADD CONSTRAINT "agent_actions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "agent_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
