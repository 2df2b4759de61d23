import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, Max, Min, Matches } from 'class-validator';

export enum AppRole {
  All = 'all',
  Api = 'api',
  Worker = 'worker',
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

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL = 'postgresql://postgres@localhost:5432/hookwise';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = true;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://localhost:6379';

  /** Key prefix for every BullMQ key, so several deployments can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may only contain letters, digits, - and _' })
  QUEUE_PREFIX = 'hookwise';

  /** Largest accepted webhook body in bytes; accepts units (5mb, 25MiB). */
  @Transform(toByteSize)
  @IsInt({ message: 'WEBHOOK_BODY_LIMIT must be a byte count such as 5242880, 5mb or 25MiB' })
  @Min(1024)
  WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

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

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 10;

  /** How often RECEIVED rows that never reached the queue are re-enqueued. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  OUTBOX_RELAY_INTERVAL_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  HEALTH_CHECK_TIMEOUT_MS = 1500;

  /** Rows written per ledger statement when deliveries arrive together (group commit). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  INGEST_MAX_BATCH = 500;

  /** GitHub webhook secret; a comma-separated list accepts any of them (rotation). */
  @IsOptional()
  @IsString()
  GITHUB_WEBHOOK_SECRET?: string;
}

/** Environment variables holding secrets: never logged, never echoed in errors. */
export const SECRET_ENV_KEYS = ['GITHUB_WEBHOOK_SECRET', 'DATABASE_URL', 'REDIS_URL'] as const;
