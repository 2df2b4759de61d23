import { settings as connectorSettings } from '../connectors/index.js';
import { webhookProviders } from '../providers/index.js';
import { AppConfig } from './env.schema.js';
import type { SettingsClass } from './setting.decorator.js';

/**
 * Every settings class of this build, in the order of the reference: the platform's, then each
 * provider's (the `settings` of its defineWebhookProvider, listed in src/providers/index.ts), then
 * each connector's (`settings` in src/connectors/index.ts). main, the test apps and the benchmarks load them all with
 * `loadConfig(env, settingsClasses)`; redactSecrets and `npm run config:docs` read them. The core
 * never imports this list (it names providers and connectors): it is handed the loaded instances.
 */
export const settingsClasses: readonly SettingsClass[] = [AppConfig, ...webhookProviders.flatMap((provider) => provider.settings), ...connectorSettings];
