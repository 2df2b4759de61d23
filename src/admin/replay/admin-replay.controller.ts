import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { AdminKey } from '../auth/admin-key.decorator.js';
import { RetryAfterFilter } from '../common/retry-after.filter.js';
import { uuidParameter } from '../common/uuid-parameter.js';
import { AdminReplayService } from './admin-replay.service.js';
import { BulkReplayRequestDto } from './dto/bulk-replay-request.dto.js';
import { BulkReplayResultDto } from './dto/bulk-replay-result.dto.js';
import { ReplayRequestDto } from './dto/replay-request.dto.js';
import { ReplayResultDto } from './dto/replay-result.dto.js';

@ApiTags('events')
@AdminEndpoint()
@Controller({ path: 'admin/events' })
export class AdminReplayController {
  constructor(private readonly replays: AdminReplayService) {}

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a replay of every event matching the list filters, newest first, at most `max`.' })
  @ApiAcceptedResponse({ type: BulkReplayResultDto })
  @ApiBadRequestResponse({ description: 'An invalid filter; the body names the parameter.' })
  replayMany(@Body() body: BulkReplayRequestDto, @AdminKey() key: string): Promise<BulkReplayResultDto> {
    return this.replays.replayMany(body, key);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-run the agent for one event now. Executed actions are not repeated unless repeatActions; dryRun executes nothing.' })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiNotFoundResponse({ description: 'No event with this id.' })
  @ApiUnprocessableEntityResponse({ description: 'No handler for the event type, or the handler failed in a way retrying cannot fix (`replay_failed_permanently`).' })
  @ApiTooManyRequestsResponse({ description: 'An upstream API (the model) rate limited the replay: `upstream_rate_limited`, with `retryAfterSeconds` (also as `Retry-After`) and `replayId`.' })
  @ApiBadGatewayResponse({ description: 'The handler failed (the model or a connector): `replay_failed`, with the message and the `replayId` of the FAILED agent run.' })
  @UseFilters(RetryAfterFilter)
  replayOne(@Param('id', uuidParameter('id')) id: string, @Body() body: ReplayRequestDto, @AdminKey() key: string): Promise<ReplayResultDto> {
    return this.replays.replayOne(id, body, key);
  }
}
