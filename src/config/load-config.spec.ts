import { describe, expect, it } from 'vitest';
import { AppRole, QueueBackend } from './env.schema.js';
import { InvalidConfigError, loadConfig, secretList } from './load-config.js';

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

  it('splits secret lists for rotation', () => {
    expect(secretList(' new , old,, ')).toEqual(['new', 'old']);
    expect(secretList(undefined)).toEqual([]);
  });
});
