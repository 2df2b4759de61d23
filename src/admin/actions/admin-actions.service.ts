import { HttpException, Injectable } from '@nestjs/common';
import { ActionService } from '../../core/actions/action.service.js';
import { PrismaService } from '../../core/database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { AdminAuditLog, type AuditRecord } from '../audit/admin-audit-log.js';
import { AgentActionDto } from '../events/dto/agent-action.dto.js';
import { decodeEventCursor, encodeEventCursor } from '../events/event-cursor.js';
import type { ActionPageDto } from './dto/action-page.dto.js';
import type { ListActionsQueryDto } from './dto/list-actions-query.dto.js';

/** The channel named in the audit trail for decisions made through these endpoints. */
const ADMIN_API = 'admin-api';

/**
 * Lists agent actions and hands approvals and rejections to the agent runtime's ActionService,
 * which executes an approved action exactly once. A decision is written to the audit trail by
 * DecisionAudit, with its outcome (as are decisions made in Slack); a call that decides nothing (404,
 * 409) is written here, with the refusal.
 */
@Injectable()
export class AdminActionsService {
  constructor(
    private readonly actions: ActionService,
    private readonly prisma: PrismaService,
    private readonly audit: AdminAuditLog,
  ) {}

  async list(query: ListActionsQueryDto): Promise<ActionPageDto> {
    const where: Prisma.AgentActionWhereInput = {};
    if (query.status) where.status = { in: query.status };
    if (query.tool) where.tool = query.tool;
    if (query.eventId) where.eventId = query.eventId;
    if (query.cursor) {
      const cursor = decodeEventCursor(query.cursor);
      where.OR = [{ createdAt: { lt: cursor.receivedAt } }, { createdAt: cursor.receivedAt, id: { lt: cursor.id } }];
    }
    const rows = await this.prisma.agentAction.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((a) => AgentActionDto.fromModel(a)),
      nextCursor: rows.length > query.limit && last ? encodeEventCursor({ receivedAt: last.createdAt, id: last.id }) : null,
    };
  }

  async approve(id: string, keyFingerprint: string): Promise<AgentActionDto> {
    const action = await this.actions.approve(id, keyFingerprint, { via: ADMIN_API }).catch((err: unknown) => this.refused(err, { keyFingerprint, action: 'action.approve', target: id }));
    return AgentActionDto.fromModel(action);
  }

  async reject(id: string, reason: string, keyFingerprint: string): Promise<AgentActionDto> {
    const action = await this.actions
      .reject(id, keyFingerprint, reason, { via: ADMIN_API })
      .catch((err: unknown) => this.refused(err, { keyFingerprint, action: 'action.reject', target: id, details: { reason } }));
    return AgentActionDto.fromModel(action);
  }

  /** Audits a call that decided nothing (no such action, not pending), then fails it as it failed. */
  private async refused(err: unknown, entry: AuditRecord): Promise<never> {
    if (err instanceof HttpException) {
      const { error } = err.getResponse() as { error?: string };
      await this.audit.record({ ...entry, details: { ...entry.details, via: ADMIN_API, refused: error ?? String(err.getStatus()) } });
    }
    throw err;
  }
}
