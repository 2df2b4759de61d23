import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

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

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toByteSize = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const match = /^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(value);
  if (!match) return value;
  const units: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  return Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()];
};

/** A base URL of an API: http or https, with the scheme written out (`api.github.com` alone is refused). */
const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const HTTP_URL_MESSAGE = '$property must be an http:// or https:// URL';

/**
 * Every environment variable the service reads, with its default. Validated once at boot
 * (src/config/load-config.ts); documented in .env.example and the README.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsEnum(AppRole, { message: 'APP_ROLE must be one of all, api, worker' })
  APP_ROLE: AppRole = AppRole.All;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Trust X-Forwarded-For from a proxy in front (a load balancer, ingress): `true`, or a
   * comma-separated list of proxy addresses/CIDRs. Off by default, so clients cannot spoof their
   * address (which the admin API's throttling keys on). Each entry is checked in load-config.ts.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Unset: an embedded PostgreSQL is started with its data in DATA_DIR (refused with NODE_ENV=production unless ALLOW_EMBEDDED_DB). */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded PostgreSQL keeps its data (used only when DATABASE_URL is unset). */
  @IsString()
  DATA_DIR = '.hookwise';

  /** Lets NODE_ENV=production run on the embedded database (single node, data in DATA_DIR). */
  @Transform(toBool)
  @IsBoolean()
  ALLOW_EMBEDDED_DB = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = true;

  /** One redis:// or rediss:// URL; with REDIS_CLUSTER=true, one or more seed nodes, comma-separated. */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^,\s]+(,\s*rediss?:\/\/[^,\s]+)*$/, {
    message: 'REDIS_URL must be a redis:// or rediss:// URL (several, comma-separated, only with REDIS_CLUSTER=true)',
  })
  REDIS_URL?: string;

  /** REDIS_URL names Redis Cluster seed nodes; BullMQ keys are then hash-tagged `{<QUEUE_PREFIX>}`. */
  @Transform(toBool)
  @IsBoolean()
  REDIS_CLUSTER = false;

  /** Unset: redis when REDIS_URL is set, otherwise postgres (load-config.ts resolves it). */
  @IsOptional()
  @IsEnum(QueueBackend, { message: 'QUEUE_BACKEND must be one of redis, postgres' })
  QUEUE_BACKEND?: QueueBackend;

  /**
   * Key prefix for every BullMQ key, so several deployments can share one Redis. On the postgres
   * backend it names the queue's schema instead (`<prefix>_queue`, `-` written as `_`).
   */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may only contain letters, digits, - and _' })
  QUEUE_PREFIX = 'hookwise';

  /** Largest accepted webhook body in bytes; accepts units (5mb, 25MiB). */
  @Transform(toByteSize)
  @IsInt({ message: 'WEBHOOK_BODY_LIMIT must be a byte count such as 5242880, 5mb or 25MiB' })
  @Min(1024)
  WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

  /**
   * Bytes of request bodies one HTTP process holds at once (bodies are read whole before their
   * signature is checked), counted as they arrive: a request whose declared body does not fit is
   * answered 503 + Retry-After before its body is read, one that runs out of room while it arrives is
   * cut with the same answer. Units as WEBHOOK_BODY_LIMIT. Default 16 MiB, or WEBHOOK_BODY_LIMIT if
   * that is larger; when set, at least WEBHOOK_BODY_LIMIT, so that any body fits on an idle process
   * (checked at start); 0 turns the bound off.
   */
  @IsOptional()
  @Transform(toByteSize)
  @IsInt({ message: 'INGEST_MAX_INFLIGHT_BYTES must be a byte count such as 16777216, 16mb or 16MiB (0: no bound)' })
  @Min(0)
  INGEST_MAX_INFLIGHT_BYTES!: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  JOB_ATTEMPTS = 5;

  /** First retry delay; later ones double, with jitter. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_BACKOFF_MS = 2000;

  /**
   * Jobs at once per provider queue per worker process. Unset: 100 on the Redis queue, where jobs
   * mostly wait on I/O (the model, the connectors) and the ledger writes of jobs running together
   * share one statement (a no-op backlog drains at ~1,100 events/s with 10, ~2,800/s with 200 here);
   * 10 on the PostgreSQL queue, where every job in flight holds a database session of its own.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY!: number;

  /**
   * Rate limit of each provider queue, shared by every worker process (BullMQ's limiter, kept in
   * Redis): at most WORKER_RATE_LIMIT_MAX jobs start per WORKER_RATE_LIMIT_DURATION_MS. Each job runs
   * at most one agent, so this caps agent runs, and with AGENT_MAX_ITERATIONS the calls to
   * Anthropic. Unset: no limit. (On the PostgreSQL queue it also makes a 429 from Anthropic pause the
   * queue in every worker process rather than in the one that met it: see src/core/queue/worker-limiter.ts.)
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_RATE_LIMIT_MAX?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_RATE_LIMIT_DURATION_MS = 60_000;

  /** How often RECEIVED rows that never reached the queue are re-enqueued (and interrupted actions looked for). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  OUTBOX_RELAY_INTERVAL_MS = 5000;

  /**
   * QUEUED, PROCESSING or FAILED events untouched for this long have their job checked: a job that
   * vanished (Redis restarted without persistence) is enqueued again, a job that failed while the
   * ledger could not record it (database down) is retried.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  OUTBOX_RECONCILE_AFTER_MS = 60_000;

  /**
   * An action still EXECUTING this long after it started is taken to be cut off (its process died
   * mid-call): it is marked FAILED, outcome unknown, so a retry or replay of its event runs it again
   * under the same idempotency key. Must be above CONNECTOR_TIMEOUT_MS (checked at start).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  ACTION_EXECUTION_TIMEOUT_MS = 300_000;

  /**
   * The longest a connector call (GitHub, Slack, Linear, HubSpot, HTTP actions, an SMTP socket) may
   * go without an answer before the attempt fails as transient: none of their clients gives up on a
   * server that accepts the connection and never answers.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  CONNECTOR_TIMEOUT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  HEALTH_CHECK_TIMEOUT_MS = 1500;

  /**
   * Longest a graceful stop (SIGTERM/SIGINT) may take before the process logs why and exits 1.
   * Below Kubernetes' default 30 s grace period, so the reason is logged before SIGKILL.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /**
   * Longest a client may take to send a whole request, headers and body (408 and the connection
   * closed past it). Fastify's default is no limit: a client that declared a body and never sent it
   * held its socket forever, and held a graceful stop until SHUTDOWN_TIMEOUT_MS. GitHub itself gives
   * up on a delivery after 10 s. On a graceful stop, a request still arriving is cut after this or
   * after half of SHUTDOWN_TIMEOUT_MS, whichever comes first (drain-connections.ts).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_REQUEST_TIMEOUT_MS = 10_000;

  /** Rows written per ledger statement when deliveries arrive together (group commit). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  INGEST_MAX_BATCH = 500;

  /**
   * Backpressure: when the oldest event still waiting for a worker (RECEIVED or QUEUED) is older
   * than this many seconds, webhooks are answered 429 with Retry-After instead of being accepted.
   * Unset: always accept.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INGEST_MAX_BACKLOG?: number;

  // ── Providers: webhook secrets ───────────────────────────────────────────────

  /** GitHub webhook secret; a comma-separated list accepts any of them (rotation). */
  @IsOptional()
  @IsString()
  GITHUB_WEBHOOK_SECRET?: string;

  // ── Agents (Claude) ──────────────────────────────────────────────────────────

  /** Without it agents are off: events are still ledgered and processed, runs are recorded SKIPPED. */
  @IsOptional()
  @IsString()
  ANTHROPIC_API_KEY?: string;

  /** Anthropic API base URL (the SDK's default when unset); tests point it at a local fake. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  ANTHROPIC_BASE_URL?: string;

  @IsString()
  ANTHROPIC_MODEL = 'claude-sonnet-4-6';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  AGENT_MAX_TOKENS = 4096;

  /** Model round trips per run (each tool result is one more). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AGENT_MAX_ITERATIONS = 8;

  /** Input + output tokens a single run may spend before it is stopped. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  AGENT_MAX_TOTAL_TOKENS = 200_000;

  /** Per-tool policy overrides, e.g. `rollback_deploy=auto,send_email=dry-run` (auto | approval | dry-run). */
  @IsOptional()
  @Matches(/^\s*[a-z0-9_]+\s*=\s*(auto|approval|dry-run)\s*(,\s*[a-z0-9_]+\s*=\s*(auto|approval|dry-run)\s*)*$/, {
    message: 'TOOL_POLICIES must look like tool_name=auto|approval|dry-run, comma-separated',
  })
  TOOL_POLICIES?: string;

  // ── Connectors (where agents act) ────────────────────────────────────────────

  @IsOptional()
  @IsString()
  GITHUB_TOKEN?: string;

  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  GITHUB_API_URL = 'https://api.github.com';

  /** Largest PR diff sent to the model; longer diffs are truncated and the review says so. */
  @Transform(toByteSize)
  @IsInt()
  @Min(1024)
  PR_REVIEW_MAX_DIFF_BYTES = 100_000;

  /** smtp(s)://user:pass@host:port */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Hookwise <hookwise@localhost>';

  @IsOptional()
  @IsString()
  SLACK_BOT_TOKEN?: string;

  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  SLACK_API_URL = 'https://slack.com/api/';

  @IsOptional()
  @IsString()
  LINEAR_API_KEY?: string;

  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  LINEAR_API_URL = 'https://api.linear.app/graphql';

  @IsOptional()
  @IsString()
  LINEAR_TEAM_ID?: string;

  @IsOptional()
  @IsString()
  HUBSPOT_TOKEN?: string;

  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  HUBSPOT_API_URL = 'https://api.hubapi.com';

  /** Endpoint the rollback tool POSTs to (`{deployment, reason, event_id}`); unset = dry-run. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  ROLLBACK_URL?: string;

  /** Endpoint the key-revocation tool POSTs to; unset = dry-run. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  REVOKE_URL?: string;

  /** Endpoint the smoke-test tool GETs; unset = dry-run. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: HTTP_URL_MESSAGE })
  SMOKE_TEST_URL?: string;

  /** Bearer token sent to ROLLBACK_URL / REVOKE_URL / SMOKE_TEST_URL, when they need one. */
  @IsOptional()
  @IsString()
  ACTION_HTTP_TOKEN?: string;

  // ── Admin API ────────────────────────────────────────────────────────────────

  /** Comma-separated bearer keys for /admin, /admin/queues and /metrics; unset = the admin API answers 401 to everything. */
  @IsOptional()
  @IsString()
  ADMIN_API_KEYS?: string;

  /** Admin requests allowed per client IP within ADMIN_THROTTLE_TTL_MS (429 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ADMIN_THROTTLE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  ADMIN_THROTTLE_TTL_MS = 60_000;
}

/**
 * Environment variables holding secrets: never logged, never echoed in errors. Configuration errors
 * never quote values; a failed start's message is passed through redactSecrets.
 */
export const SECRET_ENV_KEYS = [
  'GITHUB_WEBHOOK_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
  'ANTHROPIC_API_KEY',
  'GITHUB_TOKEN',
  'SMTP_URL',
  'SLACK_BOT_TOKEN',
  'LINEAR_API_KEY',
  'HUBSPOT_TOKEN',
  'ACTION_HTTP_TOKEN',
  'ADMIN_API_KEYS',
] as const;
