'use strict';
// <name>-event.handler.ts: the handler: its event types, and the agent asked about each event.

const { eventsSummary } = require('../prose.js');

module.exports = function handler(model) {
  const handled = model.events.length
    ? {
        constant: `\n/** The event types this handler takes; any other is recorded IGNORED ("no handler"). */\nconst HANDLED = new Set([${model.events.map((e) => `'${e}'`).join(', ')}]);\n`,
        body: '    return HANDLED.has(eventType);',
      }
    : { constant: '', body: null };
  return `import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { AgentRunner, type HandleOptions, type HandlerOutcome, WebhookEventHandler } from '../../core/index.js';
import { ${model.pascal}EventAgent } from './${model.name}-event.agent.js';
import { ${model.constant} } from './${model.name}-webhook.provider.js';
${handled.constant}
/**
 * Asks the ${model.title} event agent about each event it takes (${eventsSummary(model).replace(/\`/g, '')}); the answer is kept on the
 * agent run (agent_runs.answer). A side effect made from the answer (a comment, a message, an issue)
 * goes through ExactlyOnceStep with a key of what it means, so that retries and redeliveries act once
 * (docs/agents-and-actions.md#the-exactly-once-step).
 */
@Injectable()
@WebhookEventHandler()
export class ${model.pascal}EventHandler implements WebhookEventHandler {
  readonly name = '${model.name}-event';
  readonly provider = ${model.constant};

  constructor(
    private readonly agent: ${model.pascal}EventAgent,
    private readonly runner: AgentRunner,
  ) {}

${
    handled.body
      ? `  handles(eventType: string): boolean {\n${handled.body}\n  }`
      : '  // Every event type. Narrow this when the handler is for some of them: the others are recorded IGNORED.\n  handles(): boolean {\n    return true;\n  }'
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const run = await this.runner.run({ event, agent: this.agent.definition, task: this.agent.task(event.eventType), data: this.agent.data(event.payload), options });
    if (run.skippedReason) return { status: 'ignored', reason: \`agents are off: \${run.skippedReason}\` };
    return { status: 'succeeded' };
  }
}
`;
};
