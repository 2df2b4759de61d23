import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EventStatus } from '../../../generated/prisma/enums.js';
import { toList } from '../../common/query-transforms.js';


/** The ledger filters shared by GET /admin/events and POST /admin/events/replay. */
export class EventFiltersDto {
  @ApiPropertyOptional({ description: 'Provider name, e.g. github.', example: 'github' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'provider must be a provider name such as github' })
  provider?: string;

  @ApiPropertyOptional({ description: 'Exact event type, e.g. pull_request.opened.', example: 'pull_request.opened' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;

  @ApiPropertyOptional({
    description: 'One or more statuses: repeat the parameter or separate with commas.',
    enum: EventStatus,
    isArray: true,
    example: ['DEAD', 'FAILED'],
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(7)
  @IsEnum(EventStatus, { each: true, message: `status must be one or more of ${Object.values(EventStatus).join(', ')}` })
  status?: EventStatus[];

  @ApiPropertyOptional({ description: 'The entity the event is about (repository full name, customer id...).', example: 'octo-org/hello-world' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({ description: 'Received at or after this instant (ISO 8601).', example: '2026-11-21T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'Received before this instant (ISO 8601, exclusive).', example: '2026-11-22T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ description: "The provider's delivery id (X-GitHub-Delivery, Stripe event id...)." })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  deliveryId?: string;
}
