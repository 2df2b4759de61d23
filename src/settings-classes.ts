import { AppConfig } from './config/env.schema.js';
import type { SettingsClass } from './config/setting.decorator.js';
import { settings as connectorSettings } from './connectors/index.js';
import { webhookProviders } from './providers/index.js';

/**
 * Every settings class of this build, in the order of the reference: the platform's, then each
 * provider's (the `settings` of its defineWebhookProvider, listed in src/providers/index.ts), then
 * each connector's (`settings` in src/connectors/index.ts). main, the test apps and the benchmarks
 * load them all with `loadConfig(env, settingsClasses)`; main's redactSecrets and `npm run config:docs`
 * read them. It sits beside main.ts because it names providers and connectors: neither the core nor
 * src/config imports it, they are handed the classes or the loaded instances.
 */
export const settingsClasses: readonly SettingsClass[] = [AppConfig, ...webhookProviders.flatMap((provider) => provider.settings), ...connectorSettings];
