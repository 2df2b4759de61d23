import type { ToolPolicy } from './agent-tool.js';

/** One side effect an agent (or its handler) wants, as handed to ActionService.execute. */
export interface ActionRequest {
  eventId: string;
  runId?: string | null;
  agent: string;
  /** The agent's allow-list: a tool outside it is refused and recorded REJECTED. */
  allowedTools: readonly string[];
  tool: string;
  args: unknown;
  /**
   * A key with a meaning of its own (e.g. `github-pr-review:owner/repo#12@<sha>`) in place of
   * event + tool + argument hash, for side effects that must happen once across events.
   */
  dedupeKey?: string;
  /**
   * The policy of this call when TOOL_POLICIES does not name the tool, in place of the tool's default
   * (e.g. `auto` for a rollback in an environment configured so). TOOL_POLICIES still wins.
   */
  defaultPolicy?: ToolPolicy;
  /** Record what would happen (DRY_RUN) without calling the connector. */
  dryRun?: boolean;
  /** Scopes the key to one replay, so a replay asked to repeat actions gets fresh keys. */
  replayId?: string;
}
