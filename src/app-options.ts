import type { CoreModuleOptions } from './core/core.module.js';
import type { WebhookProvider } from './core/provider-kit/define-webhook-provider.js';

/** How an application is put together: the core's options, and which providers it receives. */
export interface AppOptions extends CoreModuleOptions {
  /** The providers to run; src/providers/index.ts when absent (tests add a synthetic one). */
  providers?: readonly WebhookProvider[];
}
