import { defineWebhookProvider } from '../../../src/core/provider-kit/define-webhook-provider.js';
import { SyntheticEchoHandler } from './synthetic-echo.handler.js';
import { SyntheticWebhookProvider, SYNTHETIC } from './synthetic-webhook.provider.js';

/** The core's test provider: registered in every test app beside the real ones (test/support/test-app.ts). */
export const syntheticProvider = defineWebhookProvider({
  name: SYNTHETIC,
  definition: SyntheticWebhookProvider,
  handlers: [SyntheticEchoHandler],
  loggedHeaders: ['x-synthetic-delivery'],
});
