import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { AdminKey } from '../auth/admin-key.decorator.js';
import { AdminReconciliationService } from './admin-reconciliation.service.js';
import { QueuedReconciliationsDto } from './dto/queued-reconciliation.dto.js';
import { ReconciliationStatusDto } from './dto/reconciliation-source.dto.js';
import { RunReconciliationQueryDto } from './dto/run-reconciliation-query.dto.js';

@ApiTags('reconciliation')
@AdminEndpoint()
@Controller({ path: 'admin/reconciliation' })
export class AdminReconciliationController {
  constructor(private readonly reconciliation: AdminReconciliationService) {}

  @Get()
  @ApiOperation({ summary: "Each source's stored point and last run: when, how far back, found, missing, redelivered or ingested, errors." })
  @ApiOkResponse({ type: ReconciliationStatusDto })
  status(): Promise<ReconciliationStatusDto> {
    return this.reconciliation.status();
  }

  @Post('run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a reconciliation run now, of one source or of every available one; a worker runs it.' })
  @ApiAcceptedResponse({ type: QueuedReconciliationsDto })
  @ApiConflictResponse({ description: '`reconciliation_running`: a run of the source (of every source asked for) is in progress.' })
  @ApiNotFoundResponse({ description: '`unknown_source`: no reconciler of that name.' })
  @ApiUnprocessableEntityResponse({ description: '`reconciliation_unavailable`: the source is not configured (the message says which setting).' })
  run(@Query() query: RunReconciliationQueryDto, @AdminKey() key: string): Promise<QueuedReconciliationsDto> {
    return this.reconciliation.run(query.source, key);
  }
}
