import type { z } from 'zod';
import { providerMarker } from '../discovery/discoverable-providers.js';

/** How a tool call is carried out: at once, after an operator approves it, or only described. */
export type ToolPolicy = 'auto' | 'approval' | 'dry-run';

export interface ToolExecutionContext {
  /** The ledger event the agent run is working on. */
  eventId: string;
  /** Stable for the same event + tool + arguments: pass it on to APIs that accept idempotency keys. */
  idempotencyKey: string;
  /**
   * An earlier attempt of this action ended FAILED, possibly after reaching the outside world (a
   * timeout after the API accepted the call, a process killed mid-call): a tool whose API cannot
   * deduplicate by itself looks for that attempt's effect before acting again.
   */
  retried?: boolean;
}

/** What a connector needs to know about the action it carries out, to act on it once. */
export type ActionAttempt = Pick<ToolExecutionContext, 'idempotencyKey' | 'retried'>;

/**
 * Something an agent can do in the outside world (post a PR comment, send an e-mail, roll back a
 * deploy). Every call goes through ActionService, which checks the agent's allow-list and the
 * tool's policy, records an AgentAction row and never executes the same action twice.
 *
 * A tool is a provider marked `@AgentTool()`, which ToolRegistry finds at boot in whatever module
 * provides it: connector tools live beside their connector in src/connectors/<vendor>/ and are
 * listed in that connector's module; a provider's own tool is listed in its module.
 */
export interface AgentTool<Schema extends z.ZodType = z.ZodType> {
  /** snake_case name the model calls, unique across all tools. */
  readonly name: string;
  /** What the model reads to decide when to use the tool. */
  readonly description: string;
  /** Arguments, validated before anything runs; also sent to the model as the tool's JSON schema. */
  readonly input: Schema;
  /** Destructive tools (rollback, revoke, refund) default to the `approval` policy. */
  readonly destructive: boolean;
  /** Why the tool can only dry-run here (e.g. "GITHUB_TOKEN is not set"), or null when it can act. */
  unavailableReason(): string | null;
  /** Performs the action; the returned JSON is stored in the action row and shown to the model. */
  execute(args: z.infer<Schema>, context: ToolExecutionContext): Promise<unknown>;
  /**
   * The ids of what the action created outside, read from execute's result (`slack:<channel>:<ts>`,
   * `linear:issue:<id>`: the vendor first). Stored on the action row (`external_ids`), so that an
   * incoming event caused by our own action can be recognised (ActionService.findByExternalId).
   */
  externalIds?(result: unknown): string[];
}

/** Marks a provider as an AgentTool, for ToolRegistry to register at boot. */
export const AgentTool = providerMarker<AgentTool>();
