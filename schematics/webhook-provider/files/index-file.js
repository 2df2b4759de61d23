'use strict';
// index.ts: the provider, as src/providers/index.ts lists it.

module.exports = function indexFile(model) {
  const logged = model.id.header ? `\n  loggedHeaders: ['${model.id.header.key}'],` : '';
  return `import { defineWebhookProvider } from '../../core/index.js';
import { ${model.pascal}EventAgent } from './${model.name}-event.agent.js';
import { ${model.pascal}EventHandler } from './${model.name}-event.handler.js';
import { ${model.constant}, ${model.pascal}WebhookProvider } from './${model.name}-webhook.provider.js';
import { ${model.pascal}Config } from './${model.name}.config.js';

/** ${model.title} webhooks: every event recorded once, and assessed by its agent. */
export const ${model.camel}Provider = defineWebhookProvider({
  name: ${model.constant},
  definition: ${model.pascal}WebhookProvider,
  handlers: [${model.pascal}EventHandler],
  providers: [${model.pascal}EventAgent],
  settings: [${model.pascal}Config],${logged}
});
`;
};
