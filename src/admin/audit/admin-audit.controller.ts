import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminEndpoint } from '../auth/admin-endpoint.decorator.js';
import { AdminAuditLog } from './admin-audit-log.js';
import { AuditEntryDto } from './dto/audit-entry.dto.js';
import { ListAuditQueryDto } from './dto/list-audit-query.dto.js';

@ApiTags('audit')
@AdminEndpoint()
@Controller({ path: 'admin/audit' })
export class AdminAuditController {
  constructor(private readonly audit: AdminAuditLog) {}

  @Get()
  @ApiOperation({ summary: 'The newest mutating admin calls: who (key fingerprint), what, when.' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  list(@Query() query: ListAuditQueryDto): Promise<AuditEntryDto[]> {
    return this.audit.latest(query.limit);
  }
}
