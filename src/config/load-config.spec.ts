import { describe, expect, it } from 'vitest';
import { AppRole } from './env.schema.js';
import { InvalidConfigError, loadConfig, secretList } from './load-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      APP_ROLE: AppRole.All,
      DATABASE_URL: 'postgresql://postgres@localhost:5432/hookwise',
      REDIS_URL: 'redis://localhost:6379',
      WEBHOOK_BODY_LIMIT: 5 * 1024 * 1024,
      JOB_ATTEMPTS: 5,
      MIGRATE_ON_START: true,
    });
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
