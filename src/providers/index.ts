import type { WebhookProvider } from '../core/index.js';
import { deploymentsProvider } from './deployments/index.js';
import { githubProvider } from './github/index.js';
import { secretScanningPartnerProvider } from './secret-scanning-partner/index.js';
import { securityProvider } from './security/index.js';
import { slackProvider } from './slack/index.js';
import { stripeProvider } from './stripe/index.js';
import { typeformProvider } from './typeform/index.js';

/** Every webhook provider Hookwise receives, one line each. A new provider is its folder and its line here. */
export const webhookProviders: readonly WebhookProvider[] = [
  githubProvider,
  stripeProvider,
  typeformProvider,
  slackProvider,
  deploymentsProvider,
  securityProvider,
  secretScanningPartnerProvider,
];
