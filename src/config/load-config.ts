import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { AppConfig, QueueBackend } from './env.schema.js';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Validates the environment once and returns the typed configuration. Empty strings count as
 * unset, so `FOO=` in a .env file falls back to the default. Every invalid variable is reported
 * in one error; values are never echoed (they may be secrets).
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const plain: Record<string, string> = {};
  for (const key of declaredVariables()) {
    const value = source[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(AppConfig, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  const problems = [...errors.flatMap(describe), ...storageProblems(config)];
  if (problems.length > 0) throw new InvalidConfigError(problems);
  config.QUEUE_BACKEND ??= config.REDIS_URL ? QueueBackend.Redis : QueueBackend.Postgres;
  config.WORKER_CONCURRENCY ??= config.QUEUE_BACKEND === QueueBackend.Postgres ? 10 : 100;
  return config;
}

/** Rules that involve several variables: where the ledger and the queue live. */
function storageProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (!config.DATABASE_URL && config.NODE_ENV === 'production' && config.ALLOW_EMBEDDED_DB !== true) {
    problems.push(
      'DATABASE_URL is required with NODE_ENV=production; set it, or set ALLOW_EMBEDDED_DB=true to run on the embedded PostgreSQL in DATA_DIR (single node)',
    );
  }
  if (config.QUEUE_BACKEND === QueueBackend.Redis && !config.REDIS_URL) {
    problems.push('QUEUE_BACKEND=redis needs REDIS_URL');
  }
  if (config.REDIS_URL?.includes(',') && !config.REDIS_CLUSTER) {
    problems.push('REDIS_URL lists several nodes: set REDIS_CLUSTER=true for a Redis Cluster, or give one URL');
  }
  if (config.REDIS_CLUSTER && !config.REDIS_URL) {
    problems.push('REDIS_CLUSTER=true needs REDIS_URL (one or more seed nodes of the cluster)');
  }
  return problems;
}

/** The variable names declared on AppConfig (read from its validation decorators). */
export function declaredVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(AppConfig, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function describe(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(error.property) ? message : `${error.property}: ${message}`,
  );
}

/** Splits a comma-separated secret list, ignoring blanks. */
export function secretList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
