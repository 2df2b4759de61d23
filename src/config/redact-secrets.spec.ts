import { describe, expect, it } from 'vitest';
import { settingsClasses } from '../settings-classes.js';
import { redactSecrets as redact } from './redact-secrets.js';

/** Redaction of every settings class's secrets, as main does it. */
const redactSecrets = (text: string, env: Record<string, string>) => redact(text, settingsClasses, env);

describe('redactSecrets', () => {
  const env = {
    DATABASE_URL: 'postgresql://hookwise:s3cr%40t-pw@db:5432/hookwise',
    GITHUB_WEBHOOK_SECRET: 'old-hook-secret, new-hook-secret',
    ANTHROPIC_API_KEY: 'sk-ant-api03-abcdef',
    PORT: '5432',
  };

  it('replaces secret values, list entries and URL passwords (raw and decoded)', () => {
    const text = 'connect postgresql://hookwise:s3cr%40t-pw@db:5432/hookwise failed; password s3cr@t-pw; key sk-ant-api03-abcdef; hook new-hook-secret';
    expect(redactSecrets(text, env)).toBe('connect [redacted] failed; password [redacted]; key [redacted]; hook [redacted]');
  });

  it('leaves other text and non-secret settings alone', () => {
    expect(redactSecrets('listen EADDRINUSE 0.0.0.0:5432', env)).toBe('listen EADDRINUSE 0.0.0.0:5432');
  });
});
