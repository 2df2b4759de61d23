import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class RunReconciliationQueryDto {
  @ApiPropertyOptional({ description: 'One source (`github`, `stripe`); default: every available source.', example: 'stripe' })
  @IsOptional()
  @IsString()
  source?: string;
}
