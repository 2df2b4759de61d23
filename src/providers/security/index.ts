import { defineWebhookProvider } from '../../core/index.js';
import { SecurityAlertHandler } from './security-alert.handler.js';
import { SecurityResponseAgent } from './security-response.agent.js';
import { SECURITY, SecurityWebhookProvider } from './security-webhook.provider.js';
import { SecurityConfig } from './security.config.js';

/** GitHub secret scanning alerts: a leaked credential revoked, rotated, ticketed, announced and resolved, each once. */
export const securityProvider = defineWebhookProvider({
  name: SECURITY,
  definition: SecurityWebhookProvider,
  handlers: [SecurityAlertHandler],
  providers: [SecurityResponseAgent],
  loggedHeaders: ['x-github-event', 'x-github-delivery'],
  settings: [SecurityConfig],
});
