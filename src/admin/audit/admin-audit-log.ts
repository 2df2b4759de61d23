import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client.js';
import { PrismaService } from '../../core/database/prisma.service.js';
import { AuditEntryDto } from './dto/audit-entry.dto.js';

export interface AuditRecord {
  keyFingerprint: string;
  action: string;
  target?: string | null;
  details?: Prisma.InputJsonObject;
}

/** The admin audit trail (table admin_audit_log): every mutating admin call, who made it and when. */
@Injectable()
export class AdminAuditLog {
  private readonly logger = new Logger('AdminAudit');

  constructor(private readonly prisma: PrismaService) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.prisma.adminAuditEntry.create({
      data: { keyFingerprint: entry.keyFingerprint, action: entry.action, target: entry.target ?? null, details: entry.details ?? {} },
    });
    this.logger.log(`${entry.action}${entry.target ? ` ${entry.target}` : ''} by admin key ${entry.keyFingerprint}`);
  }

  async latest(limit: number): Promise<AuditEntryDto[]> {
    const entries = await this.prisma.adminAuditEntry.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    return entries.map((e) => AuditEntryDto.fromModel(e));
  }
}
