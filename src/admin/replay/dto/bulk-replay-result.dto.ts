import { ApiProperty } from '@nestjs/swagger';

export class BulkReplayResultDto {
  @ApiProperty({ format: 'uuid', description: 'Jobs of this bulk replay are named admin-replays:<batchId>-<eventId> in /admin/queues.' })
  batchId!: string;
  @ApiProperty({ description: 'Events queued for replay.' }) queued!: number;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty() repeatActions!: boolean;
}
