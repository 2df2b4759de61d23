import type { WebhookEvent } from '../../generated/prisma/client.js';
import type { AgentDefinition } from './agent-definition.js';
import type { ToolPolicy } from '../actions/agent-tool.js';
import type { HandleOptions } from '../processing/event-handler.js';

/** Runs the step's agent on the step's event (replay flags included) and resolves to its validated answer. */
export type AskAgent<Answer> = (task: string, data: Record<string, unknown>) => Promise<Answer>;

/** One side effect that must happen once per semantic key, with arguments an agent's answer makes. */
export interface ExactlyOnceStepRequest<Answer> {
  event: WebhookEvent;
  /** The replay flags the handler was given: dry run, repeat actions. */
  options?: HandleOptions;
  /**
   * What the side effect means, across events, retries and redeliveries: the action's idempotency
   * key (e.g. `github-pr-review:owner/repo#12@<head sha>`). Prefix it with the agent's name.
   */
  key: string;
  /** The agent asked by `produce`; it must have an answer schema and list `tool` in its `stepTools`. */
  agent: AgentDefinition<Answer>;
  /** The registered tool that carries out the side effect (e.g. `github_post_issue_comment`). */
  tool: string;
  /** The tool's policy for this step when TOOL_POLICIES does not name it (see ActionRequest.defaultPolicy). */
  defaultPolicy?: ToolPolicy;
  /** The step in a few words, for errors: `posting the review` gives "posting the review failed: …". */
  label: string;
  /** The ignore reason when another event already did it: `acme/app#12 at 1a2b3c4 was already reviewed`. */
  alreadyDone: string;
  /**
   * Makes the tool's arguments: fetch what the agent needs, `ask` it, render its answer. Not called
   * when the step is already done, or when only the side effect failed (its stored arguments are
   * used again, and the model is not asked twice), or when agents are off.
   */
  produce(ask: AskAgent<Answer>): Promise<unknown>;
}
