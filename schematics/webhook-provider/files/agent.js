'use strict';
// <name>-event.agent.ts: the agent stub: a system prompt, a tool allow-list, a structured answer.

module.exports = function agent(model) {
  const history = Boolean(model.subject);
  return `import { Injectable } from '@nestjs/common';
import { z } from 'zod';
${history ? "import { type AgentDefinition, SUBJECT_HISTORY_TOOL } from '../../core/index.js';" : "import type { AgentDefinition } from '../../core/index.js';"}

// The answer's schema goes to the API as the output format (structured outputs); the descriptions
// are what the model reads about each field. Replace it with what your handler needs to decide.
const assessment = z.strictObject({
  summary: z.string().min(1).max(1000).describe('What the event says, in two or three sentences, for the team.'),
  needs_attention: z.boolean().describe('Whether a person should look at this event.'),
});
export type ${model.pascal}EventAssessment = z.infer<typeof assessment>;

/** The ${model.title} event agent: what Claude is asked about an event, and the answer it must give. */
@Injectable()
export class ${model.pascal}EventAgent {
  readonly definition: AgentDefinition<${model.pascal}EventAssessment> = {
    name: '${model.name}-event',
    system: [
      'You assess events sent by ${model.title} for the team that runs it.',
      'Say what happened and whether a person should look at it. Quote only facts found in the event.',
    ].join('\\n'),
    // The allow-list: the only tools the model may call (a call to any other is refused and recorded).${history ? "\n    // The subject's recent events, read-only." : ''}
    tools: [${history ? 'SUBJECT_HISTORY_TOOL' : ''}],
    // Tools a handler's ExactlyOnceStep calls with arguments made from the answer, never offered to
    // the model (docs/agents-and-actions.md#the-exactly-once-step).
    stepTools: [],
    answer: assessment,
  };

  task(eventType: string): string {
    return \`A \${eventType} event arrived from ${model.title}. Assess it; the event block holds its payload.\`;
  }

  /** The untrusted data blocks: the payload as received. */
  data(payload: unknown): Record<string, unknown> {
    return { event: payload };
  }
}
`;
};
