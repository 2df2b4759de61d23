import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Setting, SettingsGroup } from './setting.decorator.js';
import { ByteSize, Duration, IsHttpUrl, toBool, toInt } from './setting-values.js';

export enum AppRole {
  All = 'all',
  Api = 'api',
  Worker = 'worker',
}

/** Where BullMQ keeps its jobs: Redis, or BullMQ's own PostgreSQL backend in the ledger's database. */
export enum QueueBackend {
  Redis = 'redis',
  Postgres = 'postgres',
}

/**
 * The platform's settings: the process, the ledger's database, the queue, ingest, processing, agents
 * and the admin API. Providers and connectors declare theirs beside their code (`*.config.ts`, listed
 * in src/settings-classes.ts). Validated once at boot with all of them (src/config/load-config.ts);
 * `npm run config:docs` writes .env.example and docs/configuration.md from the `@Setting` descriptions.
 */
@SettingsGroup('Platform', 'The process, the event ledger and its queue, ingest, processing, agents (Claude) and the admin API.')
export class AppConfig {
  @Setting({ section: 'Process', description: 'development logs pretty lines, production JSON.' })
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Setting({ description: 'all = HTTP and processors in one process; api = HTTP only; worker = processors only (no HTTP listener).' })
  @IsEnum(AppRole, { message: 'APP_ROLE must be one of all, api, worker' })
  APP_ROLE: AppRole = AppRole.All;

  @Setting({ description: 'Port the HTTP server listens on (roles all and api).' })
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Setting({ description: 'Address the HTTP server listens on.' })
  @IsString()
  HOST = '0.0.0.0';

  // Off by default so that clients cannot spoof their address, which the admin API's throttling keys on.
  @Setting({
    description:
      'Behind a load balancer or ingress: trust its X-Forwarded-For, either `true` (any proxy) or a comma-separated list of proxy addresses and CIDR ranges. Unset: off, clients cannot spoof their address.',
    example: '10.0.0.0/8,127.0.0.1',
    allowed: 'true, or IP addresses / CIDR ranges, comma-separated',
  })
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @Setting({ description: 'Least severe level logged.' })
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  @Setting({ description: 'Longest each check of /health/ready (the database, Redis or the PostgreSQL queue) may take before it counts as down.' })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  HEALTH_CHECK_TIMEOUT_MS = 1500;

  // Below Kubernetes' default 30 s grace period, so the reason is logged before SIGKILL.
  @Setting({
    description:
      "Longest a graceful stop (SIGTERM/SIGINT) may take; past it the process logs why and exits 1. A BullMQ worker cannot finish closing while Redis is down. Keep it under your orchestrator's grace period.",
  })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  @Setting({
    section: 'Storage and queue',
    secret: true,
    description:
      'The event ledger (postgresql://). The database is created if missing; migrations run at start. Unset: an embedded PostgreSQL keeps its data in DATA_DIR (refused with NODE_ENV=production unless ALLOW_EMBEDDED_DB=true).',
    example: 'postgresql://postgres@localhost:5432/hookwise',
  })
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @Setting({ description: 'Where the embedded PostgreSQL keeps its data (used only when DATABASE_URL is unset).' })
  @IsString()
  DATA_DIR = '.hookwise';

  @Setting({ description: 'Lets NODE_ENV=production run on the embedded PostgreSQL (single node, data in DATA_DIR).' })
  @Transform(toBool)
  @IsBoolean()
  ALLOW_EMBEDDED_DB = false;

  @Setting({
    description:
      "Connections per process in the ledger's pool. On the PostgreSQL queue each process also opens the queue's pool, up to WORKER_CONCURRENCY + 10 sessions: count both against max_connections.",
  })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @Setting({ description: "Apply pending migrations at start: the ledger's, and the queue schema's on the PostgreSQL queue (set false when a release job runs `npm run db:migrate`)." })
  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = true;

  @Setting({
    secret: true,
    description:
      "BullMQ's Redis: one redis:// or rediss:// URL (with user:password@ and /db if needed); with REDIS_CLUSTER=true, one or more seed nodes, comma-separated.",
    example: 'redis://localhost:6379',
  })
  @IsOptional()
  @Matches(/^rediss?:\/\/[^,\s]+(,\s*rediss?:\/\/[^,\s]+)*$/, {
    message: 'REDIS_URL must be a redis:// or rediss:// URL (several, comma-separated, only with REDIS_CLUSTER=true)',
  })
  REDIS_URL?: string;

  @Setting({ description: 'REDIS_URL names the seed nodes of a Redis Cluster (redis://node-a:6379,redis://node-b:6379); BullMQ keys are then hash-tagged {<QUEUE_PREFIX>}:… (one hash slot).' })
  @Transform(toBool)
  @IsBoolean()
  REDIS_CLUSTER = false;

  @Setting({
    description:
      "Where the queue lives: redis, or postgres (BullMQ's PostgreSQL backend, in schema <QUEUE_PREFIX>_queue of the ledger's database, migrated at start).",
    computedDefault: 'redis when REDIS_URL is set, else postgres',
    example: 'postgres',
  })
  @IsOptional()
  @IsEnum(QueueBackend, { message: 'QUEUE_BACKEND must be one of redis, postgres' })
  QUEUE_BACKEND?: QueueBackend;

  @Setting({
    description:
      "Prefix of every BullMQ key, so several deployments can share one Redis. On the postgres queue it names the queue's schema instead (<prefix>_queue, - written as _).",
    allowed: 'letters, digits, - and _',
  })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may only contain letters, digits, - and _' })
  QUEUE_PREFIX = 'hookwise';

  @Setting({ section: 'Ingest', description: 'Largest accepted webhook body; a larger one is answered 413. GitHub sends up to 25 MB.' })
  @ByteSize()
  @IsInt({ message: 'WEBHOOK_BODY_LIMIT must be a byte count such as 5242880, 5mb or 25MiB' })
  @Min(1024)
  WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

  // Bodies are read whole before their signature is checked, so this bounds the memory forged
  // uploads can take. At least WEBHOOK_BODY_LIMIT so that any body fits on an idle process.
  @Setting({
    description:
      'Bytes of request bodies one HTTP process holds at once (every route that reads a body), counted as they arrive and given back when the answer is sent or the connection closes. A request whose Content-Length does not fit beside what is held is answered 503 too_many_bodies_in_flight with Retry-After: 1 before its body is read; a body that runs out of room while it arrives is cut with the same answer and its connection closed. When set, at least WEBHOOK_BODY_LIMIT (checked at start), so that a body of any accepted size fits on an idle process; 0 turns the bound off.',
    computedDefault: '16MiB, or WEBHOOK_BODY_LIMIT if larger',
    example: '16MiB',
  })
  @IsOptional()
  @ByteSize()
  @IsInt({ message: 'INGEST_MAX_INFLIGHT_BYTES must be a byte count such as 16777216, 16mb or 16MiB (0: no bound)' })
  @Min(0)
  INGEST_MAX_INFLIGHT_BYTES!: number;

  // Fastify's default is no limit: a client that declared a body and never sent it held its socket
  // forever, and held a graceful stop until SHUTDOWN_TIMEOUT_MS. GitHub itself gives up on a delivery after 10 s.
  @Setting({
    description:
      "Longest a client may take to send a whole request, headers and body (checked every second): past it 408 and the connection closed, so a client that trickles its request or never sends the body it declared cannot hold a socket, nor a graceful stop. On a graceful stop, a request still arriving is cut after this, or after half of SHUTDOWN_TIMEOUT_MS if that is sooner. Idle keep-alive connections close after 72 s (Fastify's default).",
  })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_REQUEST_TIMEOUT_MS = 10_000;

  @Setting({ description: 'Most deliveries written by one ledger statement when they arrive together (group commit).' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  INGEST_MAX_BATCH = 500;

  @Setting({
    description:
      'Backpressure, in seconds: when the oldest event still waiting for a worker (RECEIVED or QUEUED) is older, webhooks are answered 429 + Retry-After instead of being accepted. Unset: always accept.',
    example: '300',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INGEST_MAX_BACKLOG?: number;

  @Setting({ description: 'How often committed events that never reached the queue (Redis down) are re-enqueued; also how often interrupted actions and agent runs are looked for.' })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  OUTBOX_RELAY_INTERVAL_MS = 5000;

  @Setting({
    description:
      'QUEUED, PROCESSING or FAILED events untouched for this long have their job checked: a job that vanished (Redis restarted without persistence) is enqueued again, a job that failed while the ledger could not record it (database down) is retried; an event that has had its JOB_ATTEMPTS (a payload that kills its worker every time) becomes DEAD instead.',
  })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  OUTBOX_RECONCILE_AFTER_MS = 60_000;

  @Setting({
    section: 'Processing',
    description: 'Attempts per event before it is DEAD.',
  })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  JOB_ATTEMPTS = 5;

  @Setting({ description: 'Delay before the first retry; each later one waits twice as long, randomised to 50-100% of that.' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_BACKOFF_MS = 2000;

  // On Redis jobs mostly wait on I/O (the model, the connectors) and the ledger writes of jobs running
  // together share one statement: a no-op backlog drains at ~1,100 events/s with 10, ~2,800/s with 200 here.
  @Setting({
    description:
      'Jobs processed at once per provider queue in each worker process. On the PostgreSQL queue each job in flight holds a database session of its own.',
    computedDefault: '100 on the Redis queue, 10 on the PostgreSQL queue',
    example: '100',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY!: number;

  @Setting({
    description:
      "At most this many jobs start per WORKER_RATE_LIMIT_DURATION_MS per provider queue, across all worker processes (BullMQ's limiter): each job runs at most one agent, so this caps agent runs and, with AGENT_MAX_ITERATIONS, calls to Anthropic. A 429/529 from Anthropic (or a connector's rate limit) pauses the queue whatever this says; on the PostgreSQL queue, setting it makes that pause reach every worker process, not only the one that met it. Unset: no limit.",
    example: '50',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_RATE_LIMIT_MAX?: number;

  @Setting({ description: 'The window of WORKER_RATE_LIMIT_MAX.' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_RATE_LIMIT_DURATION_MS = 60_000;

  // A longer wait than the slowest connector call, or a call still waiting for its answer would be
  // taken for a dead one and run a second time by the next retry (checked at start).
  @Setting({
    section: 'Actions',
    description:
      'An action still EXECUTING this long after it started is taken to be cut off (its process died mid-call): it becomes FAILED, outcome unknown, so a retry or replay of its event runs it again under the same idempotency key. Must be above CONNECTOR_TIMEOUT_MS.',
  })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  ACTION_EXECUTION_TIMEOUT_MS = 300_000;

  // None of the connectors' clients gives up on a server that accepts the connection and never answers.
  @Setting({
    description:
      'Longest a connector call (GitHub, Slack, Linear, HubSpot, HTTP actions, an SMTP socket) waits for an answer before the attempt fails as transient. ACTION_EXECUTION_TIMEOUT_MS must be above it.',
  })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  CONNECTOR_TIMEOUT_MS = 30_000;

  @Setting({
    description:
      'Per-tool policy overrides, comma-separated. Unset: approval for destructive tools (rollback_deploy, revoke_key), auto for the rest. A name no tool has stops the start (TOOL_POLICIES names send_emial, which no tool is called).',
    example: 'github_post_issue_comment=dry-run,rollback_deploy=approval',
    allowed: 'tool_name=auto|approval|dry-run, comma-separated',
  })
  @IsOptional()
  @Matches(/^\s*[a-z0-9_]+\s*=\s*(auto|approval|dry-run)\s*(,\s*[a-z0-9_]+\s*=\s*(auto|approval|dry-run)\s*)*$/, {
    message: 'TOOL_POLICIES must look like tool_name=auto|approval|dry-run, comma-separated',
  })
  TOOL_POLICIES?: string;

  @Setting({
    section: 'Agents (Claude)',
    secret: true,
    description: 'Anthropic API key. Without it agents are off: events are still ledgered and processed, each agent run is recorded SKIPPED, and the start logs a warning.',
  })
  @IsOptional()
  @IsString()
  ANTHROPIC_API_KEY?: string;

  @Setting({ description: "Anthropic API base URL (the SDK's default when unset); tests point it at a local stand-in.", example: 'https://api.anthropic.com' })
  @IsOptional()
  @IsHttpUrl()
  ANTHROPIC_BASE_URL?: string;

  @Setting({ description: 'Model of every agent run; recorded on the run and named in the PR review comment.' })
  @IsString()
  ANTHROPIC_MODEL = 'claude-sonnet-4-6';

  @Setting({ description: 'Output tokens per model call (max_tokens).' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AGENT_MAX_TOKENS = 4096;

  @Setting({ description: 'Model round trips per run (each tool result is one more); a run that would need more stops FAILED, without a retry.' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AGENT_MAX_ITERATIONS = 8;

  @Setting({ description: 'Tokens one run may spend (input, output, cache reads and writes); beyond, the run stops FAILED, without a retry.' })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  AGENT_MAX_TOTAL_TOKENS = 200_000;

  // At least 16 characters each (checked at start): a key opens the whole admin API (replays, approvals, payloads).
  @Setting({
    section: 'Admin API (/admin, /admin/queues, /metrics)',
    secret: true,
    description:
      'Bearer keys, comma-separated (rotate by adding the new key, then removing the old one), each at least 16 characters: a shorter one stops the start. Unset: the admin API answers 401 to everything. Generate one with: openssl rand -hex 32',
  })
  @IsOptional()
  @IsString()
  ADMIN_API_KEYS?: string;

  @Setting({
    description:
      'Requests allowed per client IP and endpoint within ADMIN_THROTTLE_TTL_MS (429 beyond), on the /admin REST endpoints and /metrics; Bull Board at /admin/queues counts as one endpoint.',
  })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ADMIN_THROTTLE_LIMIT = 300;

  @Setting({ description: 'The window of ADMIN_THROTTLE_LIMIT.' })
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  ADMIN_THROTTLE_TTL_MS = 60_000;

  @Setting({
    section: 'Reconciliation',
    description:
      "How often each source with a reconciler (GitHub hooks in GITHUB_RECONCILE_HOOKS, Stripe with STRIPE_API_KEY) is compared with the sender's own record, and what is missing redelivered or ingested: a duration (600s, 10m, 1h; a bare number is seconds). 0 or off: no schedule (POST /admin/reconciliation/run still runs it).",
    example: '10m',
  })
  @Duration()
  @IsInt({ message: 'RECONCILE_INTERVAL must be a duration such as 600s, 10m or 1h, or 0/off to disable the schedule' })
  @Min(0)
  RECONCILE_INTERVAL = 600_000;

  @Setting({
    description:
      "How many days of reconciliation runs (reconciliation_runs: one per source every RECONCILE_INTERVAL, 144 a day at 10m) are kept: after each run of a source, that source's runs started longer ago are deleted. Its latest run (the one just finished) is always kept. 0: runs are never deleted.",
  })
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RECONCILE_RUNS_KEPT_DAYS = 30;
}
