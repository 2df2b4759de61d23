import { Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '../../core/database/prisma.service.js';
import { EventDetailDto } from './dto/event-detail.dto.js';
import type { EventFiltersDto } from './dto/event-filters.dto.js';
import type { EventPageDto } from './dto/event-page.dto.js';
import { EventSummaryDto } from './dto/event-summary.dto.js';
import type { ListEventsQueryDto } from './dto/list-events-query.dto.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { EventSearch, type EventSearchFilters } from './event-search.js';

/** Reads the ledger for the admin API: pages of events and one event with its runs and actions. */
@Injectable()
export class AdminEventsService {
  constructor(
    private readonly search: EventSearch,
    private readonly prisma: PrismaService,
  ) {}

  async list(query: ListEventsQueryDto): Promise<EventPageDto> {
    const cursor = query.cursor ? decodeEventCursor(query.cursor) : null;
    // One row more than asked tells whether another page exists.
    const rows = await this.search.page(searchFilters(query), cursor, query.limit + 1, query.include === 'payload');
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => EventSummaryDto.fromRow(row)),
      nextCursor: rows.length > query.limit && last ? encodeEventCursor({ receivedAt: last.received_at, id: last.id }) : null,
    };
  }

  async detail(id: string): Promise<EventDetailDto> {
    const event = await this.prisma.webhookEvent.findUnique({
      where: { id },
      include: { agentRuns: { orderBy: { startedAt: 'asc' } }, agentActions: { orderBy: { createdAt: 'asc' } } },
    });
    if (!event) throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `no event with id ${id}` });
    return EventDetailDto.fromModels(event, event.agentRuns, event.agentActions);
  }
}

export function searchFilters(filters: EventFiltersDto): EventSearchFilters {
  return {
    provider: filters.provider,
    type: filters.type,
    status: filters.status,
    subject: filters.subject,
    deliveryId: filters.deliveryId,
    from: filters.from ? new Date(filters.from) : undefined,
    to: filters.to ? new Date(filters.to) : undefined,
  };
}
