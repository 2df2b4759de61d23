import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { AdminStatsService } from './admin-stats.service.js';
import { StatsDto } from './dto/stats.dto.js';
import { StatsQueryDto } from './dto/stats-query.dto.js';

@ApiTags('stats')
@AdminEndpoint()
@Controller({ path: 'admin/stats' })
export class AdminStatsController {
  constructor(private readonly stats: AdminStatsService) {}

  @Get()
  @ApiOperation({ summary: 'Counts by provider and status, latency percentiles, agent tokens and cost, queue depths.' })
  @ApiOkResponse({ type: StatsDto })
  get(@Query() query: StatsQueryDto): Promise<StatsDto> {
    return this.stats.stats(query);
  }
}
