import { ApiProperty } from '@nestjs/swagger';
import { EventSummaryDto } from './event-summary.dto.js';

export class EventPageDto {
  @ApiProperty({ type: [EventSummaryDto] })
  items!: EventSummaryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next (older) page; null on the last page.' })
  nextCursor!: string | null;
}
