import { ApiProperty } from '@nestjs/swagger';
import type { AgentAction, AgentRun, WebhookEvent } from '../../../generated/prisma/client.js';
import { redactPayload } from '../payload-redactor.js';
import { AgentActionDto } from './agent-action.dto.js';
import { AgentRunDto } from './agent-run.dto.js';
import { EventSummaryDto } from './event-summary.dto.js';

/** GET /admin/events/:id: the event, its payload (secrets redacted), its agent runs and actions. */
export class EventDetailDto extends EventSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secrets redacted.' })
  declare payload: unknown;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Stored delivery headers (never signatures).' })
  headers!: unknown;

  @ApiProperty({ type: String, format: 'date-time' })
  lastDeliveredAt!: string;

  @ApiProperty({ type: [AgentRunDto] })
  agentRuns!: AgentRunDto[];

  @ApiProperty({ type: [AgentActionDto] })
  actions!: AgentActionDto[];

  static fromModels(event: WebhookEvent, runs: AgentRun[], actions: AgentAction[]): EventDetailDto {
    const summary = EventSummaryDto.fromRow({
      id: event.id,
      provider: event.provider,
      delivery_id: event.deliveryId,
      event_type: event.eventType,
      subject: event.subject,
      status: event.status,
      status_reason: event.statusReason,
      delivery_count: event.deliveryCount,
      provenance: event.provenance,
      attempts: event.attempts,
      last_error: event.lastError,
      received_at: event.receivedAt,
      processed_at: event.processedAt,
      updated_at: event.updatedAt,
    });
    const dto = Object.assign(new EventDetailDto(), summary);
    dto.payload = redactPayload(event.payload);
    dto.headers = redactPayload(event.headers);
    dto.lastDeliveredAt = event.lastDeliveredAt.toISOString();
    dto.agentRuns = runs.map((r) => AgentRunDto.fromModel(r));
    dto.actions = actions.map((a) => AgentActionDto.fromModel(a));
    return dto;
  }
}
