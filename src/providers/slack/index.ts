import { defineWebhookProvider } from '../../core/index.js';
import { SlackInteractionsModule } from './slack-interactions.module.js';
import { SlackTodoAgent } from './slack-todo.agent.js';
import { SlackTodoHandler } from './slack-todo.handler.js';
import { SLACK, SlackWebhookProvider } from './slack-webhook.provider.js';
import { SlackConfig } from './slack.config.js';

/** The Slack Events API: messages with a TODO keyword become one Linear issue each, linked in the thread. */
export const slackProvider = defineWebhookProvider({
  name: SLACK,
  definition: SlackWebhookProvider,
  handlers: [SlackTodoHandler],
  providers: [SlackTodoAgent],
  imports: [SlackInteractionsModule],
  loggedHeaders: ['x-slack-retry-num', 'x-slack-retry-reason'],
  settings: [SlackConfig],
});
