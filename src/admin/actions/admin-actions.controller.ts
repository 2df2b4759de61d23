import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { AdminKey } from '../auth/admin-key.decorator.js';
import { uuidParameter } from '../common/uuid-parameter.js';
import { AgentActionDto } from '../events/dto/agent-action.dto.js';
import { AdminActionsService } from './admin-actions.service.js';
import { ActionPageDto } from './dto/action-page.dto.js';
import { ListActionsQueryDto } from './dto/list-actions-query.dto.js';
import { RejectActionDto } from './dto/reject-action.dto.js';

@ApiTags('actions')
@AdminEndpoint()
@Controller({ path: 'admin/actions' })
export class AdminActionsController {
  constructor(private readonly actions: AdminActionsService) {}

  @Get()
  @ApiOperation({ summary: 'Agent actions, newest first; e.g. status=PENDING_APPROVAL for the approval queue.' })
  @ApiOkResponse({ type: ActionPageDto })
  list(@Query() query: ListActionsQueryDto): Promise<ActionPageDto> {
    return this.actions.list(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a PENDING_APPROVAL action: it is executed once, now.' })
  @ApiOkResponse({ type: AgentActionDto })
  @ApiNotFoundResponse({ description: 'No action with this id.' })
  @ApiConflictResponse({ description: 'The action is not PENDING_APPROVAL (already approved, rejected, ...).' })
  approve(@Param('id', uuidParameter('id')) id: string, @AdminKey() key: string): Promise<AgentActionDto> {
    return this.actions.approve(id, key);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a PENDING_APPROVAL action, with a reason; it will never run.' })
  @ApiOkResponse({ type: AgentActionDto })
  @ApiNotFoundResponse({ description: 'No action with this id.' })
  @ApiConflictResponse({ description: 'The action is not PENDING_APPROVAL.' })
  reject(@Param('id', uuidParameter('id')) id: string, @Body() body: RejectActionDto, @AdminKey() key: string): Promise<AgentActionDto> {
    return this.actions.reject(id, body.reason, key);
  }
}
