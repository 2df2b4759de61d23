import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { AgentActionStatus } from '../../../generated/prisma/enums.js';
import { PageQueryDto } from '../../common/page-query.dto.js';
import { toList } from '../../common/query-transforms.js';

export class ListActionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AgentActionStatus, isArray: true, example: ['PENDING_APPROVAL'], description: 'Repeat or comma-separate.' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(6)
  @IsEnum(AgentActionStatus, { each: true, message: `status must be one or more of ${Object.values(AgentActionStatus).join(', ')}` })
  status?: AgentActionStatus[];

  @ApiPropertyOptional({ example: 'rollback_deploy' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,100}$/, { message: 'tool must be a tool name such as rollback_deploy' })
  tool?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId?: string;
}
