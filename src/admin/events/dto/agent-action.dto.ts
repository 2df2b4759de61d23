import { ApiProperty } from '@nestjs/swagger';
import { AgentActionStatus } from '../../../generated/prisma/enums.js';
import type { AgentAction } from '../../../generated/prisma/client.js';
import { redactPayload } from '../payload-redactor.js';

/** One side effect an agent asked for: tool, arguments, status and result. */
export class AgentActionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) runId!: string | null;
  @ApiProperty() agent!: string;
  @ApiProperty({ example: 'post_pr_review' }) tool!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secrets redacted.' }) arguments!: unknown;
  @ApiProperty({ enum: AgentActionStatus }) status!: AgentActionStatus;
  @ApiProperty({ enum: ['auto', 'approval', 'dry-run'] }) policy!: string;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty({ nullable: true, description: 'Secrets redacted.' }) result!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Fingerprint of the admin key that approved it.' }) approvedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) rejectedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) executedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;

  static fromModel(action: AgentAction): AgentActionDto {
    const dto = new AgentActionDto();
    dto.id = action.id;
    dto.eventId = action.eventId;
    dto.runId = action.runId;
    dto.agent = action.agent;
    dto.tool = action.tool;
    dto.arguments = redactPayload(action.arguments);
    dto.status = action.status;
    dto.policy = action.policy;
    dto.statusReason = action.statusReason;
    dto.result = action.result === null ? null : redactPayload(action.result);
    dto.error = action.error;
    dto.approvedBy = action.approvedBy;
    dto.approvedAt = action.approvedAt?.toISOString() ?? null;
    dto.rejectedBy = action.rejectedBy;
    dto.rejectedAt = action.rejectedAt?.toISOString() ?? null;
    dto.rejectionReason = action.rejectionReason;
    dto.executedAt = action.executedAt?.toISOString() ?? null;
    dto.createdAt = action.createdAt.toISOString();
    return dto;
  }
}
