import { Injectable } from '@nestjs/common';
import type { AgentAction } from '../../generated/prisma/client.js';
import { AgentRunner } from './agent-runner.js';
import { ActionInFlightError } from '../processing/action-in-flight.error.js';
import type { HandleOptions, HandlerOutcome } from '../processing/event-handler.js';
import { PermanentError } from '../processing/permanent-error.js';
import { RateLimitedError } from '../processing/rate-limited-error.js';
import { ActionService } from '../actions/action.service.js';
import type { ExactlyOnceStepRequest } from './exactly-once-step-request.js';
import { ToolRegistry } from '../actions/tool.registry.js';

/**
 * The exactly-once plumbing of agent work, for handlers whose event leads to one side effect made
 * from an agent's answer (review a commit → one comment). Keyed by a semantic key, it
 * - does nothing, and asks nobody, when the key's action is done (by this event: succeeded; by
 *   another: ignored with `alreadyDone`), or waits for approval, or was refused;
 * - re-does a FAILED action, or a DRY_RUN one whose tool can act now, with its stored arguments,
 *   without asking the model again;
 * - fails the attempt (ActionInFlightError) while the action is EXECUTING elsewhere or was cut off;
 * - records a SKIPPED run and ignores the event when agents are off;
 * - otherwise lets the handler produce the arguments (context, model, rendering) and acts once;
 * - maps a failed action to a retry, a PermanentError or a RateLimitedError (after retry-after);
 * - honours replays: dry run records DRY_RUN, repeat actions acts again under a replay-scoped key.
 */
@Injectable()
export class ExactlyOnceStep {
  constructor(
    private readonly actions: ActionService,
    private readonly tools: ToolRegistry,
    private readonly runner: AgentRunner,
  ) {}

  async run<Answer>(request: ExactlyOnceStepRequest<Answer>): Promise<HandlerOutcome> {
    const { event, options = {}, key, agent } = request;
    this.checkDeclared(request);

    // A replay that repeats or dry-runs its actions acts under a key of its own: nothing to find.
    const previous = replayScoped(options) ? null : await this.actions.findByKey(key);
    if (previous && this.worthRedoing(previous)) return this.act(request, previous.runId, previous.arguments);
    if (previous) {
      if (previous.eventId === event.id) return settled(request, previous);
      return { status: 'ignored', reason: `${request.alreadyDone} (event ${previous.eventId}, ${previous.tool} ${previous.status})` };
    }
    if (this.runner.disabledReason) {
      await this.runner.recordSkipped(event, agent, options);
      return { status: 'ignored', reason: `agents are off: ${this.runner.disabledReason}` };
    }

    let runId: string | null = null;
    const args = await request.produce(async (task, data) => {
      const result = await this.runner.run({ event, agent, task, data, options });
      runId = result.runId;
      if (result.answer === undefined) throw new PermanentError(`agent ${agent.name} gave no answer${result.skippedReason ? `: ${result.skippedReason}` : ''}`);
      return result.answer;
    });
    return this.act(request, runId, args);
  }

  /** A step whose agent or tool is not wired up is a bug: it fails before anything is asked or recorded. */
  private checkDeclared({ agent, tool }: ExactlyOnceStepRequest<unknown>): void {
    if (!agent.answer) throw new PermanentError(`agent ${agent.name} has no answer schema: an exactly-once step makes its tool's arguments from one`);
    if (!agent.stepTools?.includes(tool)) throw new PermanentError(`${tool} is not among the step tools of agent ${agent.name}`);
    if (!this.tools.get(tool)) throw new PermanentError(`no tool named ${tool} is registered`);
  }

  /** A failed action is retried; a dry-run one is redone once its tool can act here. Anything else stands. */
  private worthRedoing(previous: AgentAction): boolean {
    if (previous.status === 'FAILED') return true;
    return previous.status === 'DRY_RUN' && this.tools.get(previous.tool)?.unavailableReason() === null;
  }

  private async act(request: ExactlyOnceStepRequest<unknown>, runId: string | null, args: unknown): Promise<HandlerOutcome> {
    const { event, options = {}, agent, tool, label } = request;
    const outcome = await this.actions.execute({
      eventId: event.id,
      runId,
      agent: agent.name,
      allowedTools: [tool],
      tool,
      args,
      dedupeKey: request.key,
      defaultPolicy: request.defaultPolicy,
      dryRun: options.dryRun,
      replayId: replayScoped(options) ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') throw new PermanentError(`${label}: the arguments do not match ${tool}'s schema: ${outcome.error}`);
    if (outcome.action.status === 'FAILED') {
      const message = `${label} failed: ${outcome.action.error}`;
      if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(message, outcome.retryAfterMs);
      throw outcome.permanent ? new PermanentError(message) : new Error(message);
    }
    return settled(request, outcome.action);
  }
}

function replayScoped(options: HandleOptions): boolean {
  return Boolean(options.repeatActions || options.dryRun);
}

/** An action still EXECUTING is not done (ActionInFlightError); a retry finds it FAILED once swept, and acts again. */
function settled({ label }: ExactlyOnceStepRequest<unknown>, action: AgentAction): HandlerOutcome {
  if (action.status === 'EXECUTING') throw new ActionInFlightError(label, action);
  return { status: 'succeeded' };
}
