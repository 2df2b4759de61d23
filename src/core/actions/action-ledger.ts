import { Injectable } from '@nestjs/common';
import { AgentActionStatus, Prisma, type AgentAction } from '../../generated/prisma/client.js';
import { DatabasePool } from '../database/database-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { storedError } from '../events/stored-error.js';

// On the pool, not the ORM: it runs on a timer in every process, and an api process that never
// executes an action should not load Prisma's query compiler for it (~70 MB of resident memory).
const MARK_INTERRUPTED = `
UPDATE agent_actions SET status = 'FAILED', error = $2, updated_at = now()
WHERE status = 'EXECUTING' AND updated_at < $1
RETURNING id, event_id AS "eventId", tool`;

export type NewAction = Pick<
  AgentAction,
  'eventId' | 'runId' | 'agent' | 'tool' | 'idempotencyKey' | 'status' | 'policy' | 'statusReason'
> & { arguments: Prisma.InputJsonValue };

/**
 * The agent_actions table. Exactly-once rests on Postgres: the unique idempotency key decides
 * which caller writes a row, and every state change is a conditional update (compare-and-set),
 * so two workers or two operators can never both move the same row into EXECUTING.
 */
@Injectable()
export class ActionLedger {
  constructor(
    private readonly prisma: PrismaService,
    private readonly database: DatabasePool,
  ) {}

  /** Inserts the row unless its key exists; returns the row for the key and whether this call wrote it. */
  async insertOrGet(row: NewAction): Promise<{ action: AgentAction; created: boolean }> {
    const [created] = await this.prisma.agentAction.createManyAndReturn({ data: [row], skipDuplicates: true });
    if (created) return { action: created, created: true };
    const existing = await this.prisma.agentAction.findUnique({ where: { idempotencyKey: row.idempotencyKey } });
    if (!existing) throw new Error(`action ${row.idempotencyKey} vanished while being recorded`);
    return { action: existing, created: false };
  }

  findById(id: string): Promise<AgentAction | null> {
    return this.prisma.agentAction.findUnique({ where: { id } });
  }

  findByKey(idempotencyKey: string): Promise<AgentAction | null> {
    return this.prisma.agentAction.findUnique({ where: { idempotencyKey } });
  }

  /** Moves the row from one of `from` to `data.status`; null when another caller changed it first. */
  async transition(id: string, from: AgentActionStatus[], data: Prisma.AgentActionUpdateManyMutationInput): Promise<AgentAction | null> {
    const [updated] = await this.prisma.agentAction.updateManyAndReturn({ where: { id, status: { in: from } }, data });
    return updated ?? null;
  }

  markExecuted(id: string, result: unknown, externalIds: readonly string[] = []): Promise<AgentAction> {
    return this.prisma.agentAction.update({
      where: { id },
      data: { status: AgentActionStatus.EXECUTED, result: toJson(result), error: null, executedAt: new Date(), externalIds: [...externalIds] },
    });
  }

  /** The executed action that created this external object (see AgentTool.externalIds), if any. */
  findByExternalId(externalId: string): Promise<AgentAction | null> {
    return this.prisma.agentAction.findFirst({ where: { externalIds: { has: externalId } } });
  }

  markFailed(id: string, error: string): Promise<AgentAction> {
    return this.prisma.agentAction.update({ where: { id }, data: { status: AgentActionStatus.FAILED, error: storedError(error) } });
  }

  /** EXECUTING rows untouched since `before` become FAILED with `error`; returns them. */
  async markInterrupted(before: Date, error: string): Promise<Pick<AgentAction, 'id' | 'eventId' | 'tool'>[]> {
    const { rows } = await this.database.query<Pick<AgentAction, 'id' | 'eventId' | 'tool'>>(MARK_INTERRUPTED, [before, storedError(error)]);
    return rows;
  }

  markDryRun(id: string, reason: string): Promise<AgentAction> {
    return this.prisma.agentAction.update({ where: { id }, data: { status: AgentActionStatus.DRY_RUN, statusReason: reason } });
  }
}

function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}
