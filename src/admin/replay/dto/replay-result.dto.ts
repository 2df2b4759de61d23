import { ApiProperty } from '@nestjs/swagger';
import { EventStatus } from '../../../generated/prisma/enums.js';
import { AgentActionDto } from '../../events/dto/agent-action.dto.js';
import { AgentRunDto } from '../../events/dto/agent-run.dto.js';

export class ReplayOutcomeDto {
  @ApiProperty({ enum: ['succeeded', 'ignored'] }) status!: string;
  @ApiProperty({ required: false }) reason?: string;
}

/** What a replay did (or, for a dry run, would have done): its runs and the actions they recorded. */
export class ReplayResultDto {
  @ApiProperty({ format: 'uuid' }) replayId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() handler!: string;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty() repeatActions!: boolean;
  @ApiProperty({ type: ReplayOutcomeDto }) outcome!: ReplayOutcomeDto;
  @ApiProperty({
    enum: EventStatus,
    description: 'The event\'s status after the replay: a DEAD event that the replay handled becomes SUCCEEDED (or IGNORED); others are unchanged.',
  })
  eventStatus!: EventStatus;
  @ApiProperty({ type: [AgentRunDto] }) agentRuns!: AgentRunDto[];
  @ApiProperty({ type: [AgentActionDto], description: 'Actions recorded by this replay; on a dry run all are DRY_RUN (or found already executed).' })
  actions!: AgentActionDto[];
}
