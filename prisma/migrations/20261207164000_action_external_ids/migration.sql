-- The ids of what an executed action created outside (a Slack message "slack:<channel>:<ts>", a
-- Linear issue "linear:issue:<id>", a GitHub comment "github:comment:<id>"), filled from the tool's
-- result, so that an incoming event our own action caused can be recognised and left alone.

-- AlterTable
ALTER TABLE "agent_actions" ADD COLUMN "external_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "agent_actions_external_ids_idx" ON "agent_actions" USING GIN ("external_ids");
