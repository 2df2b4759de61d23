-- GET /admin/stats sums agent usage over a time window of started_at; without this index it read the
-- whole table (1,000,000 runs over a year, the default 24 h window: 181-195 ms, a parallel sequential
-- scan; with it 2.0-2.6 ms).

-- CreateIndex
CREATE INDEX "agent_runs_started_at_idx" ON "agent_runs"("started_at");
