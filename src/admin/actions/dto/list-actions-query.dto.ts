import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { AgentActionStatus } from '../../../generated/prisma/enums.js';

const toList = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [v]));
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

export class ListActionsQueryDto {
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

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1, { message: 'limit must be an integer from 1 to 200' })
  @Max(200, { message: 'limit must be an integer from 1 to 200' })
  limit: number = 50;
}
