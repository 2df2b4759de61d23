import { defineWebhookProvider } from '../../core/index.js';
import { GithubDeliveriesReconciler } from './github-deliveries.reconciler.js';
import { GithubPrReviewAgent } from './github-pr-review.agent.js';
import { GithubOwnCommentHandler } from './github-own-comment.handler.js';
import { GithubPrReviewHandler } from './github-pr-review.handler.js';
import { GITHUB, GithubWebhookProvider } from './github-webhook.provider.js';
import { GithubConfig } from './github.config.js';

/** GitHub repository and organisation webhooks: every pull request reviewed once per head commit. */
export const githubProvider = defineWebhookProvider({
  name: GITHUB,
  definition: GithubWebhookProvider,
  handlers: [GithubPrReviewHandler, GithubOwnCommentHandler],
  providers: [GithubPrReviewAgent],
  reconcilers: [GithubDeliveriesReconciler],
  loggedHeaders: ['x-github-event', 'x-github-delivery'],
  settings: [GithubConfig],
});
