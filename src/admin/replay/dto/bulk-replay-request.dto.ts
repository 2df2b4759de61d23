import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EventFiltersDto } from '../../events/dto/event-filters.dto.js';

export const BULK_REPLAY_MAX = 10_000;

/** The list filters of GET /admin/events, plus how many events at most and the replay flags. */
export class BulkReplayRequestDto extends EventFiltersDto {
  @ApiPropertyOptional({ minimum: 1, maximum: BULK_REPLAY_MAX, default: 100, description: 'Replay at most this many (the newest matching).' })
  @IsOptional()
  @IsInt({ message: `max must be an integer from 1 to ${BULK_REPLAY_MAX}` })
  @Min(1, { message: `max must be an integer from 1 to ${BULK_REPLAY_MAX}` })
  @Max(BULK_REPLAY_MAX, { message: `max must be an integer from 1 to ${BULK_REPLAY_MAX}` })
  max: number = 100;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  dryRun: boolean = false;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  repeatActions: boolean = false;
}
