import { describe, expect, it } from 'vitest';
import { AppRole, QueueBackend } from './env.schema.js';
import { InvalidConfigError, loadConfig as loadSettings, secretList } from './load-config.js';
import { settingsClasses } from '../settings-classes.js';

/** Every settings class, as main loads them: the platform's, each provider's and each connector's. */
const loadConfig = (env: Record<string, string | undefined>) => loadSettings(env, settingsClasses);

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      APP_ROLE: AppRole.All,
      DATA_DIR: '.hookwise',
      WEBHOOK_BODY_LIMIT: 5 * 1024 * 1024,
      JOB_ATTEMPTS: 5,
      MIGRATE_ON_START: true,
    });
  });

  it('without URLs, runs on the embedded database and the PostgreSQL queue', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.QUEUE_BACKEND).toBe(QueueBackend.Postgres);
  });

  it('uses Redis for the queue when REDIS_URL is set, unless QUEUE_BACKEND says otherwise', () => {
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).QUEUE_BACKEND).toBe(QueueBackend.Redis);
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379', QUEUE_BACKEND: 'postgres' }).QUEUE_BACKEND).toBe(QueueBackend.Postgres);
    expect(() => loadConfig({ QUEUE_BACKEND: 'redis' })).toThrow('QUEUE_BACKEND=redis needs REDIS_URL');
    expect(() => loadConfig({ QUEUE_BACKEND: 'kafka' })).toThrow('QUEUE_BACKEND must be one of redis, postgres');
  });

  it('takes several Redis URLs only as the seed nodes of a Redis Cluster', () => {
    const seeds = 'redis://10.0.0.1:6379, redis://10.0.0.2:6379';
    expect(loadConfig({ REDIS_URL: seeds, REDIS_CLUSTER: 'true' })).toMatchObject({ REDIS_URL: seeds, REDIS_CLUSTER: true });
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).REDIS_CLUSTER).toBe(false);
    expect(() => loadConfig({ REDIS_URL: seeds })).toThrow('REDIS_URL lists several nodes: set REDIS_CLUSTER=true');
    expect(() => loadConfig({ REDIS_CLUSTER: 'true' })).toThrow('REDIS_CLUSTER=true needs REDIS_URL');
    expect(() => loadConfig({ REDIS_URL: 'redis://a:6379,http://b', REDIS_CLUSTER: 'true' })).toThrow('REDIS_URL must be a redis:// or rediss:// URL');
  });

  it('defaults WORKER_CONCURRENCY by queue: 100 on Redis, 10 on PostgreSQL (a database session per job)', () => {
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).WORKER_CONCURRENCY).toBe(100);
    expect(loadConfig({}).WORKER_CONCURRENCY).toBe(10);
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379', QUEUE_BACKEND: 'postgres' }).WORKER_CONCURRENCY).toBe(10);
    expect(loadConfig({ WORKER_CONCURRENCY: '25' }).WORKER_CONCURRENCY).toBe(25);
  });

  it('refuses the embedded database in production unless ALLOW_EMBEDDED_DB=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_EMBEDDED_DB: 'true' }).DATABASE_URL).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/hookwise' }).DATABASE_URL).toBe('postgresql://db/hookwise');
  });

  it('parses numbers, booleans and byte sizes', () => {
    const config = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'false', WEBHOOK_BODY_LIMIT: '25MiB', APP_ROLE: 'worker' });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(config.WEBHOOK_BODY_LIMIT).toBe(25 * 1024 * 1024);
    expect(config.APP_ROLE).toBe(AppRole.Worker);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', GITHUB_WEBHOOK_SECRET: '' })).toMatchObject({ PORT: 3000, GITHUB_WEBHOOK_SECRET: undefined });
  });

  it('names every invalid variable in one error, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', APP_ROLE: 'boss', DATABASE_URL: 'mysql://secret-password@db', JOB_ATTEMPTS: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'APP_ROLE', 'DATABASE_URL', 'JOB_ATTEMPTS']) expect(message).toContain(name);
    expect(message).not.toContain('secret-password');
    expect((error as InvalidConfigError).problems.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses URLs that do not parse, naming the variable and never the value', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as InvalidConfigError).problems;
      }
      throw new Error('loadConfig accepted an invalid configuration');
    };
    expect(problems({ REDIS_URL: 'redis://:hunter2@127.0.0.1:99999' })).toEqual([expect.stringMatching(/^REDIS_URL is not a valid URL: check the host and the port/)]);
    expect(problems({ REDIS_URL: 'redis://a:6379,redis://b:notaport', REDIS_CLUSTER: 'true' })).toEqual([expect.stringMatching(/^REDIS_URL \(node 2\) is not a valid URL/)]);
    expect(problems({ DATABASE_URL: 'postgresql://u:hunter2#x@db:5432/hookwise' })).toEqual([expect.stringMatching(/^DATABASE_URL is not a valid URL: .* percent-encode/)]);
    expect(problems({ GITHUB_API_URL: 'api.github.com', ROLLBACK_URL: 'ftp://deploy.example.com' }).sort()).toEqual([
      'GITHUB_API_URL must be an http:// or https:// URL',
      'ROLLBACK_URL must be an http:// or https:// URL',
    ]);
    expect(problems({ TRUST_PROXY: '10.0.0.0/8, cafe, 1, ::1/200' })).toEqual(['TRUST_PROXY: 3 entries are not an IP address or CIDR range']);
    expect(JSON.stringify(problems({ REDIS_URL: 'redis://:hunter2@h:99999', DATABASE_URL: 'postgresql://u:hunter2#@h/x' }))).not.toContain('hunter2');

    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,192.168.1.7, fd00::/8' }).TRUST_PROXY).toBe('10.0.0.0/8,192.168.1.7, fd00::/8');
    expect(loadConfig({ DATABASE_URL: 'postgresql:///hookwise?host=/var/run/postgresql' }).DATABASE_URL).toBeDefined();
  });

  it('says only that a value has the wrong type, not every range it then fails too', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid environment configuration:\n {2}- PORT must be an integer number$/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '2s' })).toThrow(/^Invalid environment configuration:\n {2}- SHUTDOWN_TIMEOUT_MS must be an integer number$/);
  });

  it('refuses an interrupted-action sweep that could take a call still waiting for its answer for a dead one', () => {
    expect(() => loadConfig({ ACTION_EXECUTION_TIMEOUT_MS: '20000', CONNECTOR_TIMEOUT_MS: '30000' })).toThrow(
      'ACTION_EXECUTION_TIMEOUT_MS (20000) must be above CONNECTOR_TIMEOUT_MS (30000)',
    );
    expect(loadConfig({ ACTION_EXECUTION_TIMEOUT_MS: '20000', CONNECTOR_TIMEOUT_MS: '5000' }).CONNECTOR_TIMEOUT_MS).toBe(5000);
  });

  it('bounds request bodies in flight at 16 MiB (or WEBHOOK_BODY_LIMIT if larger) unless told otherwise, never below WEBHOOK_BODY_LIMIT (0: no bound)', () => {
    expect(loadConfig({}).INGEST_MAX_INFLIGHT_BYTES).toBe(16 * 1024 * 1024);
    expect(loadConfig({ WEBHOOK_BODY_LIMIT: '25MiB' }).INGEST_MAX_INFLIGHT_BYTES).toBe(25 * 1024 * 1024);
    expect(loadConfig({ INGEST_MAX_INFLIGHT_BYTES: '256MiB', WEBHOOK_BODY_LIMIT: '25MiB' }).INGEST_MAX_INFLIGHT_BYTES).toBe(256 * 1024 * 1024);
    expect(loadConfig({ INGEST_MAX_INFLIGHT_BYTES: '0', WEBHOOK_BODY_LIMIT: '100MiB' }).INGEST_MAX_INFLIGHT_BYTES).toBe(0);
    expect(loadConfig({ INGEST_MAX_INFLIGHT_BYTES: '5MiB' }).INGEST_MAX_INFLIGHT_BYTES).toBe(5 * 1024 * 1024);
    expect(() => loadConfig({ INGEST_MAX_INFLIGHT_BYTES: '16MiB', WEBHOOK_BODY_LIMIT: '25MiB' })).toThrow(
      'INGEST_MAX_INFLIGHT_BYTES (16777216) must be at least WEBHOOK_BODY_LIMIT (26214400): a body of the largest accepted size would be refused even with nothing else in flight',
    );
    expect(() => loadConfig({ INGEST_MAX_INFLIGHT_BYTES: 'lots' })).toThrow(/^Invalid environment configuration:\n {2}- INGEST_MAX_INFLIGHT_BYTES must be a byte count/);
  });

  it('refuses admin keys shorter than 16 characters, without echoing them', () => {
    expect(loadConfig({ ADMIN_API_KEYS: 'a-long-enough-admin-key, another-long-admin-key' }).ADMIN_API_KEYS).toBe('a-long-enough-admin-key, another-long-admin-key');
    const refusal = (keys: string) => {
      try {
        loadConfig({ ADMIN_API_KEYS: keys });
      } catch (err) {
        return (err as InvalidConfigError).problems;
      }
      return [];
    };
    expect(refusal('admin')).toEqual([
      'ADMIN_API_KEYS: 1 key is shorter than 16 characters; use random keys of at least that length (for example `openssl rand -hex 24`)',
    ]);
    expect(refusal('a-long-enough-admin-key,short1,short2')).toEqual([expect.stringMatching(/^ADMIN_API_KEYS: 2 keys are shorter than 16 characters/)]);
    expect(refusal('a-long-enough-admin-key,short1,short2').join()).not.toContain('short1');
  });

  it('splits secret lists for rotation', () => {
    expect(secretList(' new , old,, ')).toEqual(['new', 'old']);
    expect(secretList(undefined)).toEqual([]);
  });
});
