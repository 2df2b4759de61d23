import { ApiProperty } from '@nestjs/swagger';
import { AgentRunStatus } from '../../../generated/prisma/enums.js';
import type { AgentRun } from '../../../generated/prisma/client.js';

/** One agent invocation for an event: model, tokens, cost, duration and final text. */
export class AgentRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'github-pr-review' }) agent!: string;
  @ApiProperty({ example: 'claude-sonnet-4-6' }) model!: string;
  @ApiProperty({ enum: AgentRunStatus }) status!: AgentRunStatus;
  @ApiProperty({ nullable: true, type: String }) stopReason!: string | null;
  @ApiProperty() iterations!: number;
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() cacheReadTokens!: number;
  @ApiProperty() cacheWriteTokens!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Estimated USD at list price; null for a model without a known price.' })
  costUsd!: number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: String }) finalText!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) replayId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;

  static fromModel(run: AgentRun): AgentRunDto {
    const dto = new AgentRunDto();
    dto.id = run.id;
    dto.agent = run.agent;
    dto.model = run.model;
    dto.status = run.status;
    dto.stopReason = run.stopReason;
    dto.iterations = run.iterations;
    dto.inputTokens = run.inputTokens;
    dto.outputTokens = run.outputTokens;
    dto.cacheReadTokens = run.cacheReadTokens;
    dto.cacheWriteTokens = run.cacheWriteTokens;
    dto.costUsd = run.costUsd === null ? null : Number(run.costUsd);
    dto.durationMs = run.latencyMs;
    dto.finalText = run.finalText;
    dto.error = run.error;
    dto.dryRun = run.dryRun;
    dto.replayId = run.replayId;
    dto.startedAt = run.startedAt.toISOString();
    dto.finishedAt = run.finishedAt?.toISOString() ?? null;
    return dto;
  }
}
