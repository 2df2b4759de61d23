import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../../core/database/database-pool.js';
import { EventStatus, type EventProvenance } from '../../generated/prisma/enums.js';
import type { EventCursor } from './event-cursor.js';

export interface EventSearchFilters {
  provider?: string;
  type?: string;
  status?: EventStatus[];
  subject?: string;
  from?: Date;
  to?: Date;
  deliveryId?: string;
}

export interface EventRow {
  id: string;
  provider: string;
  delivery_id: string;
  event_type: string;
  subject: string | null;
  status: EventStatus;
  status_reason: string | null;
  delivery_count: number;
  provenance: EventProvenance;
  attempts: number;
  last_error: string | null;
  received_at: Date;
  processed_at: Date | null;
  updated_at: Date;
  payload?: unknown;
}

const ALL_STATUSES = Object.values(EventStatus);

const SUMMARY_COLUMNS =
  'id, provider, delivery_id, event_type, subject, status, status_reason, delivery_count, provenance, attempts, last_error, received_at, processed_at, updated_at';

/**
 * Keyset search of the ledger, newest first. Written in SQL so every filter combination keeps an
 * index-ordered plan on (…, received_at DESC, id DESC) and stops after `limit` rows:
 * - several statuses become one ordered branch per status (UNION ALL, each with its own LIMIT),
 *   because `status IN (…)` cannot be read from an index in received_at order; a type filter
 *   always branches per status, for the (event_type, status, received_at, id) index;
 * - a deliveryId without a provider is looked up through the (provider, delivery_id) unique index
 *   for every provider in the ledger (a handful, found by a loose index scan).
 * Plans at 1,000,000 rows are in docs/performance.md ("Admin API at 1,000,000 ledger rows").
 */
@Injectable()
export class EventSearch {
  constructor(private readonly database: DatabasePool) {}

  async page(filters: EventSearchFilters, cursor: EventCursor | null, limit: number, withPayload: boolean): Promise<EventRow[]> {
    const { text, values } = buildPageQuery(filters, cursor, limit, withPayload ? `${SUMMARY_COLUMNS}, payload` : SUMMARY_COLUMNS);
    const result = await this.database.query<EventRow>(text, values);
    return result.rows;
  }

  /** Ids (with provider) of up to `max` events matching the filters, newest first. */
  async ids(filters: EventSearchFilters, max: number): Promise<{ id: string; provider: string }[]> {
    // received_at too: with several statuses the branches are merged in received_at order.
    const { text, values } = buildPageQuery(filters, null, max, 'id, provider, received_at');
    return (await this.database.query<{ id: string; provider: string }>(text, values)).rows;
  }
}

/** Exported for the benchmark's EXPLAIN. */
export function buildPageQuery(
  filters: EventSearchFilters,
  cursor: EventCursor | null,
  limit: number,
  columns: string,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };

  const common: string[] = [];
  if (filters.provider !== undefined) common.push(`provider = ${param(filters.provider)}`);
  if (filters.deliveryId !== undefined) {
    common.push(
      filters.provider !== undefined
        ? `delivery_id = ${param(filters.deliveryId)}`
        : `(provider, delivery_id) IN (SELECT p.provider, ${param(filters.deliveryId, '::text')} FROM ledger_providers p)`,
    );
  }
  if (filters.type !== undefined) common.push(`event_type = ${param(filters.type)}`);
  if (filters.subject !== undefined) common.push(`subject = ${param(filters.subject)}`);
  if (filters.from !== undefined) common.push(`received_at >= ${param(filters.from, '::timestamptz')}`);
  if (filters.to !== undefined) common.push(`received_at < ${param(filters.to, '::timestamptz')}`);
  if (cursor !== null) {
    common.push(`(received_at, id) < (${param(cursor.receivedAt, '::timestamptz')}, ${param(cursor.id, '::uuid')})`);
  }

  const limitParam = param(limit, '::int');
  // With a type, every status gets its branch: the (event_type, status, received_at, id) index
  // then serves each in order, however rare the combination.
  const statuses = [...new Set(filters.status ?? (filters.type !== undefined ? ALL_STATUSES : []))];
  const branch = (status: EventStatus | null) => {
    const where = status === null ? common : [`status = ${param(status, '::"EventStatus"')}`, ...common];
    return `SELECT ${columns} FROM webhook_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT ${limitParam}`;
  };

  let body: string;
  if (statuses.length <= 1) {
    body = branch(statuses[0] ?? null);
  } else {
    const branches = statuses.map((s) => `(${branch(s)})`).join(' UNION ALL ');
    body = `SELECT * FROM (${branches}) AS matching ORDER BY received_at DESC, id DESC LIMIT ${limitParam}`;
  }

  const needsProviders = filters.deliveryId !== undefined && filters.provider === undefined;
  const providers = `WITH RECURSIVE ledger_providers(provider) AS (
    (SELECT provider FROM webhook_events ORDER BY provider LIMIT 1)
    UNION ALL
    SELECT (SELECT w.provider FROM webhook_events w WHERE w.provider > p.provider ORDER BY w.provider LIMIT 1)
    FROM ledger_providers p WHERE p.provider IS NOT NULL
  ) `;
  return { text: needsProviders ? providers + body : body, values };
}
