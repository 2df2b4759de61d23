import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { uuidParameter } from '../common/uuid-parameter.js';
import { AdminEventsService } from './admin-events.service.js';
import { EventDetailDto } from './dto/event-detail.dto.js';
import { EventPageDto } from './dto/event-page.dto.js';
import { ListEventsQueryDto } from './dto/list-events-query.dto.js';

@ApiTags('events')
@AdminEndpoint()
@Controller({ path: 'admin/events' })
export class AdminEventsController {
  constructor(private readonly events: AdminEventsService) {}

  @Get()
  @ApiOperation({ summary: 'List ledger events, newest first, with filters and keyset pagination.' })
  @ApiOkResponse({ type: EventPageDto })
  @ApiBadRequestResponse({ description: 'An invalid filter; the body names the parameter.' })
  list(@Query() query: ListEventsQueryDto): Promise<EventPageDto> {
    return this.events.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event with its payload (secrets redacted), agent runs and actions.' })
  @ApiOkResponse({ type: EventDetailDto })
  @ApiNotFoundResponse({ description: 'No event with this id.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID.' })
  detail(@Param('id', uuidParameter('id')) id: string): Promise<EventDetailDto> {
    return this.events.detail(id);
  }
}
