import { describe, expect, it } from 'vitest';
import { githubHookName, parseGithubHooks } from '../../connectors/github/github-hook.js';
import { loadConfig, settingsOf } from '../../config/load-config.js';
import { settingsClasses } from '../../settings-classes.js';
import { GithubConfig } from './github.config.js';

describe('reconciliation settings', () => {
  it('GITHUB_RECONCILE_HOOKS: repository and organisation hooks, comma-separated, read the same at boot and by the reconciler', () => {
    const value = ' acme/api.v2#123456789, org:acme-labs#987 ';
    const config = loadConfig({ GITHUB_RECONCILE_HOOKS: value }, settingsClasses);
    expect(settingsOf(config, GithubConfig).GITHUB_RECONCILE_HOOKS).toBe(value);
    const hooks = parseGithubHooks(value);
    expect(hooks).toEqual([
      { kind: 'repository', owner: 'acme', repo: 'api.v2', hookId: 123456789 },
      { kind: 'organization', org: 'acme-labs', hookId: 987 },
    ]);
    expect(hooks.map(githubHookName)).toEqual(['acme/api.v2#123456789', 'org:acme-labs#987']);
    expect(parseGithubHooks(undefined)).toEqual([]);
  });

  it.each(['acme/api', 'acme/api#abc', 'acme#12', 'org:acme', 'acme/api#1,,org:x#2', 'https://github.com/acme/api#1'])('refuses GITHUB_RECONCILE_HOOKS=%s at boot, saying what an entry looks like', (value) => {
    expect(() => loadConfig({ GITHUB_RECONCILE_HOOKS: value }, settingsClasses)).toThrow(
      'GITHUB_RECONCILE_HOOKS must be comma-separated owner/repo#hookId or org:name#hookId entries',
    );
    expect(() => parseGithubHooks(value)).toThrow(/each hook is owner\/repo#hookId or org:name#hookId/);
  });

  it('RECONCILE_INTERVAL: a duration (a bare number is seconds), 0 or off to disable, 10 minutes by default', () => {
    const interval = (value?: string) => loadConfig(value === undefined ? {} : { RECONCILE_INTERVAL: value }, settingsClasses).RECONCILE_INTERVAL;
    expect(interval()).toBe(600_000);
    expect([interval('90'), interval('90s'), interval('15m'), interval('2h'), interval('1500ms')]).toEqual([90_000, 90_000, 900_000, 7_200_000, 1500]);
    expect([interval('0'), interval('off'), interval('OFF')]).toEqual([0, 0, 0]);
    expect(() => interval('ten minutes')).toThrow('RECONCILE_INTERVAL must be a duration such as 600s, 10m or 1h, or 0/off to disable the schedule');
  });
});
