import { ApiProperty } from '@nestjs/swagger';

export class ProviderStatusCountDto {
  @ApiProperty() provider!: string;
  @ApiProperty() status!: string;
  @ApiProperty() count!: number;
}

export class LatencyPercentilesDto {
  @ApiProperty({ description: 'Observations the percentiles are computed from.' }) count!: number;
  @ApiProperty({ nullable: true, type: Number }) p50Ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95Ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p99Ms!: number | null;
  @ApiProperty({ description: 'Where the figures come from.' }) source!: string;
}

export class ModelUsageDto {
  @ApiProperty() model!: string;
  @ApiProperty() runs!: number;
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() cacheReadTokens!: number;
  @ApiProperty() cacheWriteTokens!: number;
  @ApiProperty({ description: 'Estimated USD at list prices (runs of unpriced models count 0).' }) costUsd!: number;
}

export class QueueDepthDto {
  @ApiProperty() provider!: string;
  @ApiProperty() queue!: string;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() failed!: number;
}

export class StatsDto {
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) to!: string;
  @ApiProperty({ type: [ProviderStatusCountDto] }) events!: ProviderStatusCountDto[];
  @ApiProperty({ type: LatencyPercentilesDto, description: 'Delivery received → acknowledged.' }) ackLatency!: LatencyPercentilesDto;
  @ApiProperty({ type: LatencyPercentilesDto, description: 'Delivery received → terminal status.' }) processingLatency!: LatencyPercentilesDto;
  @ApiProperty({ type: [ModelUsageDto] }) agentUsage!: ModelUsageDto[];
  @ApiProperty({ type: [QueueDepthDto], description: 'Now, whatever from/to say; null counts when Redis is unreachable.' })
  queues!: QueueDepthDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Age in seconds of the oldest event not yet processed (RECEIVED, QUEUED, PROCESSING, FAILED), now.' })
  oldestUnprocessedAgeSeconds!: number | null;
}
