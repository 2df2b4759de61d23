import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { z } from 'zod';
import { AgentActionStatus, type AgentAction, type Prisma } from '../../generated/prisma/client.js';
import { PermanentError } from '../processing/permanent-error.js';
import { RateLimitedError } from '../processing/rate-limited-error.js';
import type { AgentTool, ToolPolicy } from './agent-tool.js';
import type { ActionDecision, DecisionSource } from './action-decision.js';
import { ActionLedger } from './action-ledger.js';
import type { ActionOutcome } from './action-outcome.js';
import type { ActionRequest } from './action-request.js';
import { actionIdempotencyKey } from './idempotency-key.js';
import { ToolPolicies } from './tool-policies.js';
import { ToolRegistry } from './tool.registry.js';

const { EXECUTING, EXECUTED, DRY_RUN, PENDING_APPROVAL, REJECTED, FAILED } = AgentActionStatus;

interface Decision {
  status: AgentActionStatus;
  policy: ToolPolicy | 'refused';
  reason: string | null;
}

/**
 * The one door to the outside world. Every tool call is checked against the agent's allow-list
 * and the tool's policy, written to agent_actions before anything runs, and executed at most
 * once per idempotency key: a retried job or replayed event finds the row and gets the stored
 * result back instead of posting the second comment.
 */
@Injectable()
export class ActionService {
  private readonly pendingApprovalListeners: Array<(action: AgentAction) => Promise<void>> = [];
  private readonly decisionListeners: Array<(decision: ActionDecision) => Promise<void>> = [];

  constructor(
    private readonly tools: ToolRegistry,
    private readonly policies: ToolPolicies,
    private readonly ledger: ActionLedger,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * Calls `listener` whenever an action starts waiting for approval (a new row, or one asked again):
   * e.g. to ask approvers in a chat. A listener's failure is logged; the action waits all the same.
   */
  onPendingApproval(listener: (action: AgentAction) => Promise<void>): void {
    this.pendingApprovalListeners.push(listener);
  }

  /**
   * Calls `listener` after every decision on a pending action (approved, then executed or not;
   * rejected), whoever made it and wherever (admin API, Slack...), except a handler approving its own
   * action during its run (DecisionSource.withinRun): e.g. to audit it, or to resume the event. Awaited
   * before approve / reject return; a listener's failure is logged, the decision stands.
   */
  onDecided(listener: (decision: ActionDecision) => Promise<void>): void {
    this.decisionListeners.push(listener);
  }

  async execute(request: ActionRequest): Promise<ActionOutcome> {
    const outcome = await this.record(request);
    if (outcome.kind === 'recorded' && !outcome.duplicate && outcome.action.status === PENDING_APPROVAL) await this.announcePending(outcome.action);
    return outcome;
  }

  private async announcePending(action: AgentAction): Promise<void> {
    for (const listener of this.pendingApprovalListeners) {
      try {
        await listener(action);
      } catch (err) {
        this.logger.warn({ actionId: action.id, tool: action.tool, err: err instanceof Error ? err.message : String(err) }, 'pending-approval listener failed');
      }
    }
  }

  private async announceDecided(decision: ActionDecision, source: DecisionSource): Promise<AgentAction> {
    if (source.withinRun) return decision.action;
    for (const listener of this.decisionListeners) {
      try {
        await listener(decision);
      } catch (err) {
        const { action } = decision;
        this.logger.warn({ actionId: action.id, tool: action.tool, err: err instanceof Error ? err.message : String(err) }, 'decision listener failed');
      }
    }
    return decision.action;
  }

  private async record(request: ActionRequest): Promise<ActionOutcome> {
    const tool = this.tools.get(request.tool);
    const allowed = request.allowedTools.includes(request.tool);
    let args = request.args;
    if (allowed && tool) {
      const parsed = tool.input.safeParse(request.args);
      if (!parsed.success) {
        // Nothing is recorded for a call that never became an action: this line is its only trace.
        const error = z.prettifyError(parsed.error);
        this.logger.warn({ eventId: request.eventId, agent: request.agent, tool: request.tool, err: error }, 'tool call refused: invalid arguments');
        return { kind: 'invalid_arguments', error };
      }
      args = parsed.data;
    }

    const decision = this.decide(request, tool, allowed);
    const baseKey = request.dedupeKey ?? actionIdempotencyKey(request.eventId, request.tool, args);
    const { action, created } = await this.ledger.insertOrGet({
      eventId: request.eventId,
      runId: request.runId ?? null,
      agent: request.agent,
      tool: request.tool,
      arguments: (args ?? {}) as Prisma.InputJsonValue,
      idempotencyKey: request.replayId ? `${baseKey}:replay:${request.replayId}` : baseKey,
      status: decision.status,
      policy: decision.policy,
      statusReason: decision.reason,
    });
    this.logger.info(
      { actionId: action.id, eventId: request.eventId, agent: request.agent, tool: request.tool, status: action.status, created },
      created ? 'action recorded' : 'action already recorded for this key',
    );
    if (created) return action.status === EXECUTING ? this.run(action, tool!, { approved: false, retried: false }) : { kind: 'recorded', action, duplicate: false };

    // The key has a row already. Only a FAILED or DRY_RUN row may be taken over, and only by a call
    // that would execute now, or ask for approval now (an approved action that failed is asked for
    // again, not left FAILED for ever); the conditional update lets exactly one concurrent caller win.
    const retakable = action.status === FAILED || action.status === DRY_RUN;
    if (retakable && decision.status === EXECUTING) {
      const claimed = await this.ledger.transition(action.id, [action.status], { status: EXECUTING, error: null, statusReason: null });
      if (claimed) return this.run(claimed, tool!, { approved: false, retried: action.status === FAILED });
      return { kind: 'recorded', action: (await this.ledger.findById(action.id)) ?? action, duplicate: true };
    }
    if (retakable && decision.status === PENDING_APPROVAL) {
      const pending = await this.ledger.transition(action.id, [action.status], {
        status: PENDING_APPROVAL,
        statusReason: `${decision.reason} (asked again: the previous attempt ${action.status === FAILED ? 'failed, see error' : 'was a dry run'})`,
        approvedBy: null,
        approvedAt: null,
      });
      if (pending) {
        this.logger.info({ actionId: action.id, tool: action.tool, was: action.status }, 'action waits for approval again');
        return { kind: 'recorded', action: pending, duplicate: false };
      }
      return { kind: 'recorded', action: (await this.ledger.findById(action.id)) ?? action, duplicate: true };
    }
    return { kind: 'recorded', action, duplicate: true };
  }

  /** Executes a PENDING_APPROVAL action once, whoever else approves it at the same moment; then tells the onDecided listeners. */
  async approve(actionId: string, approvedBy: string, source: DecisionSource = {}): Promise<AgentAction> {
    const claimed = await this.ledger.transition(actionId, [PENDING_APPROVAL], {
      status: EXECUTING,
      approvedBy,
      approvedAt: new Date(),
    });
    if (!claimed) throw await this.notPending(actionId);
    const action = await this.executeApproved(claimed);
    return this.announceDecided({ decision: 'approved', decidedBy: approvedBy, via: source.via ?? 'unspecified', action }, source);
  }

  private async executeApproved(claimed: AgentAction): Promise<AgentAction> {
    const tool = this.tools.get(claimed.tool);
    if (!tool) return this.ledger.markFailed(claimed.id, `no tool named ${claimed.tool} is registered in this process`);
    const unavailable = tool.unavailableReason();
    if (unavailable) return this.ledger.markDryRun(claimed.id, unavailable);
    const outcome = await this.run(claimed, tool, { approved: true, retried: false });
    return outcome.kind === 'recorded' ? outcome.action : claimed;
  }

  /** Refuses a PENDING_APPROVAL action; it will never run. Then tells the onDecided listeners. */
  async reject(actionId: string, rejectedBy: string, reason: string, source: DecisionSource = {}): Promise<AgentAction> {
    const rejected = await this.ledger.transition(actionId, [PENDING_APPROVAL], {
      status: REJECTED,
      rejectedBy,
      rejectedAt: new Date(),
      rejectionReason: reason,
    });
    if (!rejected) throw await this.notPending(actionId);
    return this.announceDecided({ decision: 'rejected', decidedBy: rejectedBy, via: source.via ?? 'unspecified', action: rejected }, source);
  }

  /** The executed action that created this external object (a message, a comment): did we cause this event? */
  findByExternalId(externalId: string): Promise<AgentAction | null> {
    return this.ledger.findByExternalId(externalId);
  }

  /** The action recorded under a semantic key, if any (e.g. "was this commit reviewed already?"). */
  findByKey(dedupeKey: string): Promise<AgentAction | null> {
    return this.ledger.findByKey(dedupeKey);
  }

  private decide(request: ActionRequest, tool: AgentTool | undefined, allowed: boolean): Decision {
    if (!allowed) return { status: REJECTED, policy: 'refused', reason: `${request.tool} is not in the allow-list of agent ${request.agent}` };
    if (!tool) return { status: REJECTED, policy: 'refused', reason: `no tool named ${request.tool} is registered` };
    const policy = this.policies.policyFor(tool, request.defaultPolicy);
    if (request.dryRun) return { status: DRY_RUN, policy, reason: 'dry-run requested (replay)' };
    if (policy === 'dry-run') return { status: DRY_RUN, policy, reason: `policy of ${tool.name} is dry-run` };
    // Before approval: an operator should not be asked to approve what cannot run here anyway.
    const unavailable = tool.unavailableReason();
    if (unavailable) return { status: DRY_RUN, policy, reason: unavailable };
    if (policy === 'approval') {
      const why = tool.destructive ? 'destructive tool: waits for an operator' : 'policy requires approval';
      return { status: PENDING_APPROVAL, policy, reason: why };
    }
    return { status: EXECUTING, policy, reason: null };
  }

  private async run(action: AgentAction, tool: AgentTool, { approved, retried }: { approved: boolean; retried: boolean }): Promise<ActionOutcome> {
    try {
      const result = await tool.execute(action.arguments, { eventId: action.eventId, idempotencyKey: action.idempotencyKey, retried });
      const executed = await this.ledger.markExecuted(action.id, result, externalIdsOf(tool, result));
      this.logger.info({ actionId: action.id, eventId: action.eventId, tool: action.tool, approved }, 'action executed');
      return { kind: 'recorded', action: executed, duplicate: false };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const failed = await this.ledger.markFailed(action.id, message);
      this.logger.warn({ actionId: action.id, eventId: action.eventId, tool: action.tool, err: message }, 'action failed');
      const retryAfterMs = err instanceof RateLimitedError ? err.retryAfterMs : undefined;
      return { kind: 'recorded', action: failed, duplicate: false, permanent: err instanceof PermanentError, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    }
  }

  private async notPending(actionId: string): Promise<Error> {
    const current = await this.ledger.findById(actionId);
    if (!current) return new NotFoundException({ statusCode: 404, error: 'not_found', message: `no action with id ${actionId}` });
    return new ConflictException({ statusCode: 409, error: 'not_pending', message: `action ${actionId} is ${current.status}, not PENDING_APPROVAL` });
  }
}

/** A tool's external ids for its result; a tool that cannot say must not fail the executed action. */
function externalIdsOf(tool: AgentTool, result: unknown): string[] {
  try {
    return (tool.externalIds?.(result) ?? []).filter((id) => typeof id === 'string' && id !== '');
  } catch {
    return [];
  }
}
