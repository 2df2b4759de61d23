import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RejectActionDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'rollback not needed: the fix is already deployed' })
  @IsString({ message: 'reason must be a string of 1 to 1000 characters' })
  @Length(1, 1000, { message: 'reason must be a string of 1 to 1000 characters' })
  reason!: string;
}
