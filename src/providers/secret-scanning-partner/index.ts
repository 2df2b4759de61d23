import { defineWebhookProvider } from '../../core/index.js';
import { SecretScanningPartnerHandler } from './secret-scanning-partner.handler.js';
import { SECRET_SCANNING_PARTNER, SecretScanningPartnerWebhookProvider } from './secret-scanning-partner-webhook.provider.js';
import { SecretScanningPartnerConfig } from './secret-scanning-partner.config.js';

/** GitHub secret scanning partner alerts: our tokens found in public code, each ticketed and announced once, the token never kept. */
export const secretScanningPartnerProvider = defineWebhookProvider({
  name: SECRET_SCANNING_PARTNER,
  definition: SecretScanningPartnerWebhookProvider,
  handlers: [SecretScanningPartnerHandler],
  loggedHeaders: ['github-public-key-identifier'],
  settings: [SecretScanningPartnerConfig],
});
