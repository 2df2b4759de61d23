import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { isIP } from 'node:net';
import { AppConfig, QueueBackend } from './env.schema.js';
import { settingOptionsOf, type SettingsClass } from './setting.decorator.js';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Where the loaded configuration keeps every loaded settings instance, by class (copied by `{ ...config }`). */
const LOADED = Symbol('hookwise.loadedSettings');

type LoadedConfig = AppConfig & { [LOADED]?: ReadonlyMap<SettingsClass, object> };

/**
 * Validates the environment once against AppConfig and the given settings classes (a provider's or a
 * connector's: src/settings-classes.ts lists them all) and returns the typed platform settings.
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default. Every invalid
 * variable of every class is reported in one error; values are never echoed (they may be secrets).
 *
 * The instance of each other class is had with `settingsOf(config, TheClass)`, and is what Nest injects
 * for that class (AppConfigModule). Every loaded variable can also be read on the returned object by
 * name (read-only, untyped: what @nestjs/config's ConfigService serves); code reads its own class.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, settingsClasses: readonly SettingsClass[] = []): AppConfig {
  const classes = [...new Set<SettingsClass>([AppConfig, ...settingsClasses])];
  refuseVariablesDeclaredTwice(classes);
  const loaded = new Map<SettingsClass, object>();
  const problems: string[] = [];
  for (const settingsClass of classes) {
    const plain: Record<string, string> = {};
    for (const key of declaredVariables(settingsClass)) {
      const value = source[key];
      if (value !== undefined && value !== '') plain[key] = value;
    }
    const instance = plainToInstance(settingsClass, plain, { exposeDefaultValues: true });
    problems.push(...validateSync(instance, { whitelist: false, forbidUnknownValues: false }).flatMap(describe));
    loaded.set(settingsClass, instance);
  }
  const config = loaded.get(AppConfig) as LoadedConfig;
  problems.push(...storageProblems(config), ...trustProxyProblems(config.TRUST_PROXY), ...timeoutProblems(config), ...bodyBudgetProblems(config), ...adminKeyProblems(config));
  if (problems.length > 0) throw new InvalidConfigError(problems);
  config.QUEUE_BACKEND ??= config.REDIS_URL ? QueueBackend.Redis : QueueBackend.Postgres;
  config.WORKER_CONCURRENCY ??= config.QUEUE_BACKEND === QueueBackend.Postgres ? 10 : 100;
  config.INGEST_MAX_INFLIGHT_BYTES ??= Math.max(DEFAULT_MAX_INFLIGHT_BYTES, config.WEBHOOK_BODY_LIMIT);
  loaded.delete(AppConfig);
  for (const [settingsClass, instance] of loaded) {
    for (const key of declaredVariables(settingsClass)) {
      Object.defineProperty(config, key, { enumerable: true, get: () => (instance as Record<string, unknown>)[key] });
    }
  }
  Object.defineProperty(config, LOADED, { enumerable: true, value: loaded });
  return config;
}

/**
 * The loaded instance of a settings class (AppConfig itself for AppConfig). Throws when the class was
 * not passed to loadConfig: a provider or connector missing from src/settings-classes.ts.
 */
export function settingsOf<T extends object>(config: AppConfig, settingsClass: SettingsClass<T>): T {
  if ((settingsClass as SettingsClass) === AppConfig) return config as unknown as T;
  const instance = (config as LoadedConfig)[LOADED]?.get(settingsClass);
  if (!instance) {
    throw new Error(`${settingsClass.name} was not loaded: pass it to loadConfig (src/settings-classes.ts lists every settings class)`);
  }
  return instance as T;
}

/** Every settings instance loadConfig loaded beside AppConfig, by class. */
export function loadedSettings(config: AppConfig): ReadonlyMap<SettingsClass, object> {
  return (config as LoadedConfig)[LOADED] ?? new Map();
}

/** A variable belongs to one class: two declaring it would each parse and document it their own way. */
function refuseVariablesDeclaredTwice(classes: readonly SettingsClass[]): void {
  const owners = new Map<string, string>();
  for (const settingsClass of classes) {
    for (const key of declaredVariables(settingsClass)) {
      const owner = owners.get(key);
      if (owner) throw new Error(`${key} is declared by both ${owner} and ${settingsClass.name}`);
      owners.set(key, settingsClass.name);
    }
  }
}

/** Rules that involve several variables: where the ledger and the queue live. */
function storageProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  // The patterns only check the scheme; a URL that does not parse would fail later, unnamed (a bad
  // port in REDIS_URL even left ioredis retrying forever).
  if (config.DATABASE_URL && !URL.canParse(config.DATABASE_URL)) {
    problems.push(`DATABASE_URL is not a valid URL: ${URL_HINT}`);
  }
  const redisNodes = config.REDIS_URL?.split(',').map((url) => url.trim()) ?? [];
  redisNodes.forEach((url, index) => {
    if (!URL.canParse(url)) problems.push(`REDIS_URL${redisNodes.length > 1 ? ` (node ${index + 1})` : ''} is not a valid URL: ${URL_HINT}`);
  });
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

const URL_HINT = 'check the host and the port (1–65535), and percent-encode reserved characters in the user name and password';

/**
 * The interrupted-action sweep must not take a call that is still running for one that died: it would
 * be marked FAILED and run a second time by the next retry.
 */
function timeoutProblems(config: AppConfig): string[] {
  const { ACTION_EXECUTION_TIMEOUT_MS: sweep, CONNECTOR_TIMEOUT_MS: call } = config;
  // A value that is not an integer is reported by its own check already.
  if (!Number.isInteger(sweep) || !Number.isInteger(call) || sweep > call) return [];
  return [
    `ACTION_EXECUTION_TIMEOUT_MS (${sweep}) must be above CONNECTOR_TIMEOUT_MS (${call}): ` +
      'a call still waiting for its answer would be taken for an interrupted one and run again',
  ];
}

/** Three bodies of the default WEBHOOK_BODY_LIMIT, or thousands of typical deliveries: 200 concurrent forged 5 MB uploads peaked at 241–269 MB of RSS (README, Sizing). */
const DEFAULT_MAX_INFLIGHT_BYTES = 16 * 1024 * 1024;

/** A bound on bodies in flight below the largest body would refuse that body even on an idle process. */
function bodyBudgetProblems(config: AppConfig): string[] {
  const { INGEST_MAX_INFLIGHT_BYTES: budget, WEBHOOK_BODY_LIMIT: limit } = config;
  if (!Number.isInteger(budget) || !Number.isInteger(limit) || budget === 0 || budget >= limit) return [];
  return [
    `INGEST_MAX_INFLIGHT_BYTES (${budget}) must be at least WEBHOOK_BODY_LIMIT (${limit}): a body of the largest accepted size ` +
      'would be refused even with nothing else in flight; raise it, or set it to 0 for no bound',
  ];
}

/** The shortest admin key accepted: 16 random characters are 64 bits or more, beyond guessing through the throttle. */
const MIN_ADMIN_KEY_LENGTH = 16;

/** An admin key opens the whole admin API (replays, approvals, payloads): a short one is refused at start. Keys are never echoed. */
function adminKeyProblems(config: AppConfig): string[] {
  const short = secretList(config.ADMIN_API_KEYS).filter((key) => key.length < MIN_ADMIN_KEY_LENGTH).length;
  if (short === 0) return [];
  return [
    `ADMIN_API_KEYS: ${short} key${short > 1 ? 's are' : ' is'} shorter than ${MIN_ADMIN_KEY_LENGTH} characters; ` +
      'use random keys of at least that length (for example `openssl rand -hex 24`)',
  ];
}

/** TRUST_PROXY's list, entry by entry: Fastify would fail on a bad one at start, without naming the setting. */
function trustProxyProblems(value: string | undefined): string[] {
  if (value === undefined || value === 'true' || value === 'false') return [];
  const invalid = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => !isAddressOrCidr(entry));
  return invalid.length > 0 ? [`TRUST_PROXY: ${invalid.length} entr${invalid.length > 1 ? 'ies are' : 'y is'} not an IP address or CIDR range`] : [];
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/** The variables a settings class declares: its fields with a `@Setting` or a validation decorator, in declaration order. */
export function declaredVariables(settingsClass: SettingsClass = AppConfig): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(settingsClass, '', true, false);
  return [...new Set([...settingOptionsOf(settingsClass).keys(), ...metadata.map((m) => m.propertyName)])];
}

// A value of the wrong type fails every range check too; its type is then the one thing to say.
const TYPE_CONSTRAINTS = ['isInt', 'isBoolean'];

function describe(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  const typeProblem = TYPE_CONSTRAINTS.find((name) => name in constraints);
  const messages = typeProblem ? [constraints[typeProblem]] : Object.values(constraints);
  return messages.map((message) => (message.startsWith(error.property) ? message : `${error.property}: ${message}`));
}

/** Splits a comma-separated secret list, ignoring blanks. */
export function secretList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
