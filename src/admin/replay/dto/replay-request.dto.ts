import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class ReplayRequestDto {
  @ApiPropertyOptional({ default: false, description: 'Record every action as DRY_RUN and return what would have been done; nothing is executed.' })
  @IsOptional()
  @IsBoolean()
  dryRun: boolean = false;

  @ApiPropertyOptional({ default: false, description: 'Execute actions again even where this event already caused them.' })
  @IsOptional()
  @IsBoolean()
  repeatActions: boolean = false;
}
