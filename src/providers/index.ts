import type { WebhookProvider } from '../core/index.js';
import { githubProvider } from './github/index.js';
import { slackProvider } from './slack/index.js';

/** Every webhook provider Hookwise receives, one line each. A new provider is its folder and its line here. */
export const webhookProviders: readonly WebhookProvider[] = [githubProvider, slackProvider];
