import type { AppConfig } from '../../src/config/env.schema.js';
import { loadConfig, settingsOf } from '../../src/config/load-config.js';
import type { SettingsClass } from '../../src/config/setting.decorator.js';

/**
 * A connector built outside Nest as Nest builds it, from env-style settings: its own settings class
 * first, then AppConfig (CONNECTOR_TIMEOUT_MS). Both are validated as at boot.
 */
export function connectorFromEnv<S extends object, C>(
  Connector: new (settings: S, config: AppConfig) => C,
  Settings: SettingsClass<S>,
  env: Record<string, string | undefined> = {},
): C {
  const config = loadConfig(env, [Settings]);
  return new Connector(settingsOf(config, Settings), config);
}
