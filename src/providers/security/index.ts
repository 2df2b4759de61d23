import { defineWebhookProvider } from '../../core/index.js';
import { SecurityAlertHandler } from './security-alert.handler.js';
import { RevokeCredentialTool } from './revoke-credential.tool.js';
import { RotateCredentialTool } from './rotate-credential.tool.js';
import { SecurityResponseAgent } from './security-response.agent.js';
import { SECURITY, SecurityWebhookProvider } from './security-webhook.provider.js';
import { SecurityConfig } from './security.config.js';

/** GitHub secret scanning alerts: a leaked credential revoked, rotated, ticketed, announced and resolved, each once. */
export const securityProvider = defineWebhookProvider({
  name: SECURITY,
  definition: SecurityWebhookProvider,
  handlers: [SecurityAlertHandler],
  // revoke_credential and rotate_credential fetch the secret from GitHub (its connector) and send it
  // through the credentials connector: they join the two, so they live here (connectors stand alone).
  providers: [SecurityResponseAgent, RevokeCredentialTool, RotateCredentialTool],
  loggedHeaders: ['x-github-event', 'x-github-delivery'],
  settings: [SecurityConfig],
});
