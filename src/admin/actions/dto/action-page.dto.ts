import { ApiProperty } from '@nestjs/swagger';
import { AgentActionDto } from '../../events/dto/agent-action.dto.js';

export class ActionPageDto {
  @ApiProperty({ type: [AgentActionDto] }) items!: AgentActionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
