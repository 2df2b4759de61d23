import type { z } from 'zod';

/** What an agent is: its stable prompt, the tools the model may call, and the shape of its answer. */
export interface AgentDefinition<Answer = unknown> {
  /** kebab-case, stored on every run and action (e.g. github-pr-review). */
  readonly name: string;
  /** Stable across runs, so it is cached (prompt caching); per-event facts go in the task and data. */
  readonly system: string;
  /** The allow-list: tools offered to the model. A call to anything else is refused and recorded. */
  readonly tools: readonly string[];
  /**
   * Tools an ExactlyOnceStep calls with arguments made from this agent's answer (the PR review's
   * comment). Never offered to the model, so a payload cannot talk it into calling them; listed
   * here so that everything an agent can cause is declared with it.
   */
  readonly stepTools?: readonly string[];
  /**
   * The shape of the final answer. It goes to the API as the output schema (structured outputs:
   * the model's final text is JSON matching it), so the system prompt need not describe it; put
   * guidance for the fields in `.describe()`. The runner validates the answer with this schema
   * too and asks for one correction before it fails the run.
   */
  readonly answer?: z.ZodType<Answer>;
}
