-- Running totals behind /metrics, kept by triggers, so a scrape reads a handful of rows instead of
-- summing agent_runs and agent_actions (a scan that grows with every run ever recorded). Totals only
-- grow, as Prometheus counters must: deleting runs or actions leaves them as they are.
-- Each total is split over 16 shards, picked by the database session: a single row per model would
-- be locked by every finishing run until its commit. Runs started and finished by 20 sessions at once
-- (pgbench, 2 cores): 2,830-3,125/s without a trigger, 1,080-1,260/s with one row per model,
-- 2,250-2,530/s with 16 shards. A scrape sums the shards.

-- CreateTable
CREATE TABLE "agent_usage_totals" (
    "model" TEXT NOT NULL,
    "shard" SMALLINT NOT NULL,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(18,6) NOT NULL DEFAULT 0,

    CONSTRAINT "agent_usage_totals_pkey" PRIMARY KEY ("model", "shard")
);

-- CreateTable
CREATE TABLE "agent_action_status_totals" (
    "tool" TEXT NOT NULL,
    "status" "AgentActionStatus" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "agent_action_status_totals_pkey" PRIMARY KEY ("tool", "status", "shard")
);

-- A run's tokens and cost are written when it finishes: add what the write added.
CREATE FUNCTION "agent_runs_add_to_usage_totals"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before agent_runs%ROWTYPE;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.model = NEW.model THEN
    before := OLD;
  ELSE
    before.input_tokens := 0; before.output_tokens := 0;
    before.cache_read_tokens := 0; before.cache_write_tokens := 0; before.cost_usd := 0;
  END IF;
  IF (NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_tokens, coalesce(NEW.cost_usd, 0))
     IS NOT DISTINCT FROM
     (before.input_tokens, before.output_tokens, before.cache_read_tokens, before.cache_write_tokens, coalesce(before.cost_usd, 0)) THEN
    RETURN NULL;
  END IF;
  INSERT INTO agent_usage_totals AS t (model, shard, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
  VALUES (
    NEW.model,
    pg_backend_pid() % 16,
    greatest(NEW.input_tokens - before.input_tokens, 0),
    greatest(NEW.output_tokens - before.output_tokens, 0),
    greatest(NEW.cache_read_tokens - before.cache_read_tokens, 0),
    greatest(NEW.cache_write_tokens - before.cache_write_tokens, 0),
    greatest(coalesce(NEW.cost_usd, 0) - coalesce(before.cost_usd, 0), 0)
  )
  ON CONFLICT (model, shard) DO UPDATE SET
    input_tokens = t.input_tokens + EXCLUDED.input_tokens,
    output_tokens = t.output_tokens + EXCLUDED.output_tokens,
    cache_read_tokens = t.cache_read_tokens + EXCLUDED.cache_read_tokens,
    cache_write_tokens = t.cache_write_tokens + EXCLUDED.cache_write_tokens,
    cost_usd = t.cost_usd + EXCLUDED.cost_usd;
  RETURN NULL;
END $$;

CREATE TRIGGER "agent_runs_usage_totals"
AFTER INSERT OR UPDATE OF model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd ON "agent_runs"
FOR EACH ROW EXECUTE FUNCTION "agent_runs_add_to_usage_totals"();

-- Each status an action enters counts once: an action retried after FAILED counts under FAILED and
-- under the status it ends in.
CREATE FUNCTION "agent_actions_count_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.tool = NEW.tool THEN
    RETURN NULL;
  END IF;
  INSERT INTO agent_action_status_totals AS t (tool, status, shard, count) VALUES (NEW.tool, NEW.status, pg_backend_pid() % 16, 1)
  ON CONFLICT (tool, status, shard) DO UPDATE SET count = t.count + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "agent_actions_status_totals"
AFTER INSERT OR UPDATE OF tool, status ON "agent_actions"
FOR EACH ROW EXECUTE FUNCTION "agent_actions_count_status"();

-- What is recorded so far.
INSERT INTO agent_usage_totals (model, shard, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
SELECT model, 0, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), coalesce(sum(cost_usd), 0)
FROM agent_runs GROUP BY model;

INSERT INTO agent_action_status_totals (tool, status, shard, count)
SELECT tool, status, 0, count(*) FROM agent_actions GROUP BY tool, status;
