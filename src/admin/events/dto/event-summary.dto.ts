import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventProvenance, EventStatus } from '../../../generated/prisma/enums.js';
import type { EventRow } from '../event-search.js';
import { redactPayload } from '../payload-redactor.js';

/** One ledger event as listed by GET /admin/events. Only these fields leave the API. */
export class EventSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'Ledger id (UUIDv7); also the request id in the logs.' })
  id!: string;

  @ApiProperty({ example: 'github' })
  provider!: string;

  @ApiProperty({ description: "The provider's delivery id." })
  deliveryId!: string;

  @ApiProperty({ example: 'pull_request.opened' })
  type!: string;

  @ApiProperty({ nullable: true, type: String, example: 'octo-org/hello-world' })
  subject!: string | null;

  @ApiProperty({ enum: EventStatus })
  status!: EventStatus;

  @ApiProperty({ nullable: true, type: String, description: 'Why the event ended IGNORED or DEAD.' })
  statusReason!: string | null;

  @ApiProperty({ description: 'How many times the provider delivered it (retries included).' })
  deliveryCount!: number;

  @ApiProperty({
    enum: EventProvenance,
    description: "`webhook`: delivered to the endpoint; `reconciled`: fetched from the provider's API by a reconciliation run (GET /admin/reconciliation) because its delivery never arrived.",
  })
  provenance!: EventProvenance;

  @ApiProperty({ description: 'Processing attempts so far.' })
  attempts!: number;

  @ApiProperty({ nullable: true, type: String })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  processedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ description: 'With include=payload: the payload, secrets redacted.', type: 'object', additionalProperties: true })
  payload?: unknown;

  static fromRow(row: EventRow): EventSummaryDto {
    const dto = new EventSummaryDto();
    dto.id = row.id;
    dto.provider = row.provider;
    dto.deliveryId = row.delivery_id;
    dto.type = row.event_type;
    dto.subject = row.subject;
    dto.status = row.status;
    dto.statusReason = row.status_reason;
    dto.deliveryCount = row.delivery_count;
    dto.provenance = row.provenance;
    dto.attempts = row.attempts;
    dto.lastError = row.last_error;
    dto.receivedAt = row.received_at.toISOString();
    dto.processedAt = row.processed_at?.toISOString() ?? null;
    dto.updatedAt = row.updated_at.toISOString();
    if (row.payload !== undefined) dto.payload = redactPayload(row.payload);
    return dto;
  }
}
