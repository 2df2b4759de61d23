import type { z } from 'zod';

/** What an agent is: its stable prompt, the tools the model may call, and the shape of its answer. */
export interface AgentDefinition<Answer = unknown> {
  /** kebab-case, stored on every run and action (e.g. github-pr-review). */
  readonly name: string;
  /** Stable across runs, so it is cached (prompt caching); per-event facts go in the task and data. */
  readonly system: string;
  /** The allow-list: tools offered to the model. A call to anything else is refused and recorded. */
  readonly tools: readonly string[];
  /** When set, the final answer must be a JSON object matching this schema (one corrective retry). */
  readonly answer?: z.ZodType<Answer>;
}
