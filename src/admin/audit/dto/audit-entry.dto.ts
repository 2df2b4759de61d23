import { ApiProperty } from '@nestjs/swagger';
import type { AdminAuditEntry } from '../../../generated/prisma/client.js';

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    description: 'Who: the fingerprint of the admin key (first 12 hex digits of its SHA-256), or, for a decision on an action made elsewhere, the decider (`slack:<user id>`).',
  })
  keyFingerprint!: string;
  @ApiProperty({ example: 'action.approve' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: unknown;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;

  static fromModel(entry: AdminAuditEntry): AuditEntryDto {
    return Object.assign(new AuditEntryDto(), {
      id: entry.id,
      keyFingerprint: entry.keyFingerprint,
      action: entry.action,
      target: entry.target,
      details: entry.details,
      createdAt: entry.createdAt.toISOString(),
    });
  }
}
