import { IsOptional, IsString } from 'class-validator';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configDocs } from './config/config-docs.js';
import { AppConfig } from './config/env.schema.js';
import { declaredVariables, loadConfig, settingsOf } from './config/load-config.js';
import { Setting, SettingsGroup, type SettingsClass } from './config/setting.decorator.js';
import { secretVariables, undocumentedSettings } from './config/settings-reference.js';
import { SlackConnectorConfig } from './connectors/slack/slack-connector.config.js';
import { webhookProviders } from './providers/index.js';
import { settingsClasses } from './settings-classes.js';

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** Every `src/{providers,connectors}/<name>/*.config.ts`, by path from src/. */
function featureConfigFiles(): string[] {
  return ['providers', 'connectors'].flatMap((kind) =>
    readdirSync(join(SRC, kind), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((folder) =>
        readdirSync(join(SRC, kind, folder.name))
          .filter((file) => file.endsWith('.config.ts'))
          .map((file) => `${kind}/${folder.name}/${file}`),
      ),
  );
}

describe('settings classes', () => {
  it('lists every settings class of every provider and connector, so that each is loaded at boot and documented', async () => {
    const files = featureConfigFiles();
    expect(files.length).toBeGreaterThanOrEqual(7);
    const unlisted: string[] = [];
    for (const file of files) {
      const exports = (await import(pathToFileURL(join(SRC, file)).href)) as Record<string, unknown>;
      const classes = Object.entries(exports).filter(([, value]) => typeof value === 'function');
      expect(classes.length, `${file} exports no settings class`).toBeGreaterThan(0);
      for (const [name, value] of classes) {
        if (!settingsClasses.includes(value as SettingsClass)) unlisted.push(`${name} (src/${file})`);
      }
    }
    expect(unlisted, 'not in settingsClasses: a provider lists its classes in `settings` of its defineWebhookProvider, a connector in `settings` of src/connectors/index.ts').toEqual([]);
  });

  it('documents every variable: each class has a group, each field a description', () => {
    expect(undocumentedSettings(settingsClasses)).toEqual([]);

    @SettingsGroup('Example', 'A class with one documented variable and one not.')
    class HalfDocumented {
      @Setting({ description: 'Documented.' })
      @IsOptional()
      @IsString()
      EXAMPLE_DOCUMENTED?: string;

      @IsOptional()
      @IsString()
      EXAMPLE_UNDOCUMENTED?: string;
    }
    class Ungrouped {
      @Setting({ description: '' })
      @IsOptional()
      EXAMPLE_BLANK?: string;
    }
    expect(undocumentedSettings([HalfDocumented, Ungrouped])).toEqual([
      'HalfDocumented.EXAMPLE_UNDOCUMENTED has no @Setting({ description })',
      'Ungrouped has no @SettingsGroup(title, description)',
      'Ungrouped.EXAMPLE_BLANK has no @Setting({ description })',
    ]);
  });

  it('declares each variable once', () => {
    const names = settingsClasses.flatMap((settingsClass) => declaredVariables(settingsClass));
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('flags the credentials as secrets, in whichever class declares them', () => {
    // Each provider's <NAME>_WEBHOOK_SECRET where it declares one (a generated provider's too: the
    // generator edits no list here), and every other credential by name.
    const declared = new Set(settingsClasses.flatMap((settingsClass) => declaredVariables(settingsClass)));
    const webhookSecrets = webhookProviders.map((provider) => `${provider.name.toUpperCase().replaceAll('-', '_')}_WEBHOOK_SECRET`).filter((name) => declared.has(name));
    expect(webhookSecrets).toEqual(expect.arrayContaining(['GITHUB_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET', 'TYPEFORM_WEBHOOK_SECRET', 'DEPLOYMENTS_WEBHOOK_SECRET', 'SECURITY_WEBHOOK_SECRET']));
    expect(secretVariables(settingsClasses).sort()).toEqual(
      [
        ...webhookSecrets,
        'DATABASE_URL',
        'REDIS_URL',
        'ANTHROPIC_API_KEY',
        'ADMIN_API_KEYS',
        'GITHUB_TOKEN',
        'GITHUB_APP_PRIVATE_KEY',
        'SMTP_URL',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'LINEAR_API_KEY',
        'HUBSPOT_TOKEN',
        'ACTION_HTTP_TOKEN',
        'STRIPE_API_KEY',
        'FIRECRAWL_API_KEY',
        'CREDENTIALS_HTTP_TOKEN',
        'SECRETS_STORE_TOKEN',
        'DEPLOYMENTS_GITHUB_WEBHOOK_SECRET',
      ].sort(),
    );
  });

  it('loads each class from the one environment, each instance reachable by its class (and a copy of the config keeps them)', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', PORT: '8080' }, settingsClasses);
    expect(settingsOf(config, SlackConnectorConfig)).toMatchObject({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: 'https://slack.com/api/' });
    expect(settingsOf({ ...config, APP_ROLE: 'worker' } as AppConfig, SlackConnectorConfig)).toBe(settingsOf(config, SlackConnectorConfig));
    expect(settingsOf(config, AppConfig).PORT).toBe(8080);
    expect(() => settingsOf(loadConfig({}), SlackConnectorConfig)).toThrow('SlackConnectorConfig was not loaded');
  });

  it('writes an .env.example that loads as it stands, with every variable of every class', () => {
    const example = configDocs(settingsClasses)['.env.example'];
    const env = parseEnv(example);
    expect(() => loadConfig(env, settingsClasses)).not.toThrow();
    const mentioned = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(mentioned).toEqual(settingsClasses.flatMap((settingsClass) => declaredVariables(settingsClass)));
  });
});
