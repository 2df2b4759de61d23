import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto.js';
import { EventFiltersDto } from './event-filters.dto.js';

export class ListEventsQueryDto extends IntersectionType(EventFiltersDto, PageQueryDto) {
  @ApiPropertyOptional({ enum: ['payload'], description: 'include=payload adds each event\'s payload (secrets redacted).' })
  @IsOptional()
  @IsIn(['payload'], { message: 'include must be payload' })
  include?: 'payload';
}
