import { Injectable } from '@nestjs/common';
import { AgentRunStatus, Prisma, type AgentRun, type WebhookEvent } from '../../generated/prisma/client.js';
import { DatabasePool } from '../database/database-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import type { HandleOptions } from '../processing/event-handler.js';
import { LIVE_RUN_OWNERS } from './agent-run-owner.js';
import { runCostUsd, type TokenCounts } from './model-pricing.js';
import { storedError } from '../events/stored-error.js';

const MAX_TEXT_LENGTH = 100_000;

// The interrupted-run statements run on the pool, not the ORM: the sweep runs on a timer in every
// process, and a process that never runs an agent should not load Prisma's query compiler for it.
const CLOSE_INTERRUPTED = `status = 'FAILED', stop_reason = 'interrupted', finished_at = now()`;

// A run without an owner (NULL NOT IN …) is left to the sweep.
const CLOSE_INTERRUPTED_OF_EVENT = `
UPDATE agent_runs AS r SET ${CLOSE_INTERRUPTED}, error = $3
WHERE r.event_id = $1 AND r.replay_id IS NOT DISTINCT FROM $2::uuid AND r.status = 'RUNNING'
  AND r.owner_id::oid NOT IN (${LIVE_RUN_OWNERS})
RETURNING r.id`;

// Runs from before owners were recorded have no owner: those are closed once no run could still be going.
const SWEEP_INTERRUPTED = `
UPDATE agent_runs AS r SET ${CLOSE_INTERRUPTED}, error = CASE WHEN r.owner_id IS NULL THEN $2 ELSE $1 END
WHERE r.status = 'RUNNING'
  AND (CASE WHEN r.owner_id IS NULL THEN r.started_at < $3 ELSE r.owner_id::oid NOT IN (${LIVE_RUN_OWNERS}) END)
RETURNING r.id, r.event_id AS "eventId", r.agent, r.replay_id AS "replayId"`;

export type InterruptedRun = Pick<AgentRun, 'id' | 'eventId' | 'agent' | 'replayId'>;

export interface RunEnding {
  status: typeof AgentRunStatus.SUCCEEDED | typeof AgentRunStatus.FAILED;
  stopReason: string | null;
  iterations: number;
  tokens: TokenCounts;
  latencyMs: number;
  finalText?: string | null;
  answer?: unknown;
  error?: string | null;
}

/** The agent_runs table: one row per agent invocation, with its tokens, cost and outcome. */
@Injectable()
export class AgentRunLedger {
  constructor(
    private readonly prisma: PrismaService,
    private readonly database: DatabasePool,
  ) {}

  /** A RUNNING run of the process `ownerId` (AgentRunOwner). */
  start(event: Pick<WebhookEvent, 'id'>, agent: string, model: string, ownerId: number, options: HandleOptions = {}): Promise<AgentRun> {
    return this.prisma.agentRun.create({
      data: { eventId: event.id, agent, model, ownerId, dryRun: options.dryRun ?? false, replayId: options.replayId ?? null },
    });
  }

  /**
   * The event's runs (of the same replay, or of its ordinary processing) still RUNNING although the
   * process running them is gone: FAILED with `error`. Returns their ids.
   */
  async closeInterruptedOf(event: Pick<WebhookEvent, 'id'>, options: HandleOptions, error: string): Promise<string[]> {
    const { rows } = await this.database.query<{ id: string }>(CLOSE_INTERRUPTED_OF_EVENT, [event.id, options.replayId ?? null, storedError(error)]);
    return rows.map((row) => row.id);
  }

  /** Every run still RUNNING whose process is gone, and every ownerless one started before `ownerlessBefore`: FAILED. */
  async sweepInterrupted(error: string, ownerlessError: string, ownerlessBefore: Date): Promise<InterruptedRun[]> {
    const { rows } = await this.database.query<InterruptedRun>(SWEEP_INTERRUPTED, [storedError(error), storedError(ownerlessError), ownerlessBefore]);
    return rows;
  }

  /**
   * What a RUNNING run has spent so far, written after each model round trip: a run interrupted by
   * the death of its process keeps the tokens and cost it had run up.
   */
  async progress(runId: string, model: string, iterations: number, tokens: TokenCounts): Promise<void> {
    await this.prisma.agentRun.update({ where: { id: runId }, data: spending(model, iterations, tokens) });
  }

  finish(runId: string, model: string, ending: RunEnding): Promise<AgentRun> {
    return this.prisma.agentRun.update({
      where: { id: runId },
      data: {
        status: ending.status,
        stopReason: ending.stopReason,
        ...spending(model, ending.iterations, ending.tokens),
        latencyMs: ending.latencyMs,
        finalText: ending.finalText ? ending.finalText.slice(0, MAX_TEXT_LENGTH) : null,
        answer: ending.answer === undefined ? Prisma.DbNull : (ending.answer as Prisma.InputJsonValue),
        error: ending.error ? storedError(ending.error) : null,
        finishedAt: new Date(),
      },
    });
  }

  skipped(event: Pick<WebhookEvent, 'id'>, agent: string, model: string, reason: string, options: HandleOptions = {}): Promise<AgentRun> {
    const now = new Date();
    return this.prisma.agentRun.create({
      data: {
        eventId: event.id,
        agent,
        model,
        status: AgentRunStatus.SKIPPED,
        stopReason: reason,
        dryRun: options.dryRun ?? false,
        replayId: options.replayId ?? null,
        latencyMs: 0,
        startedAt: now,
        finishedAt: now,
      },
    });
  }
}

/** A run's round trips, tokens and their cost at list price (null for a model without a known price). */
function spending(model: string, iterations: number, tokens: TokenCounts) {
  const cost = runCostUsd(model, tokens);
  return { iterations, ...tokens, costUsd: cost === null ? null : new Prisma.Decimal(cost) };
}
