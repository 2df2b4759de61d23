import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { DatabasePool, type PreparedStatement } from '../database/database-pool.js';
import { GroupCommit, type ItemOutcome } from './group-commit.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { isRowDataError, UnstorablePayloadError } from './unstorable-payload.error.js';

export interface NewDelivery {
  id: string;
  provider: string;
  deliveryId: string;
  eventType: string;
  subject: string | null;
  /** QUEUED: handed to the JobDispatcher right after the commit (see there). */
  status: 'QUEUED' | 'IGNORED';
  statusReason: string | null;
  payloadJson: string;
  headers: Record<string, string>;
}

export interface RecordedDelivery {
  /** Ledger id: the new row's, or the existing row's for a duplicate. */
  id: string;
  duplicate: boolean;
}

// One statement per batch. Copies of one delivery inside a batch are collapsed before the insert
// (ON CONFLICT may touch a row once per statement) and counted through `copies`. Payloads and
// headers go as one JSON array each rather than as jsonb[]: an array literal would have every
// quote of every payload escaped by pg and unescaped by PostgreSQL.
const INSERT_BATCH: PreparedStatement = {
  name: 'hookwise_ledger_insert_batch',
  text: `
INSERT INTO webhook_events
  (id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, delivery_count, processed_at)
SELECT id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, copies,
       CASE WHEN status = 'IGNORED' THEN now() END
FROM ROWS FROM (unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
                unnest($6::"EventStatus"[]), unnest($7::text[]), jsonb_array_elements($8::jsonb),
                jsonb_array_elements($9::jsonb), unnest($10::int[]))
  AS input(id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, copies)
ON CONFLICT (provider, delivery_id) DO UPDATE
  SET delivery_count = webhook_events.delivery_count + EXCLUDED.delivery_count,
      last_delivered_at = now()
RETURNING id, provider, delivery_id, (xmax = 0) AS inserted`,
};

/**
 * Commits deliveries to the ledger with group commit (see GroupCommit): deliveries that arrive
 * while a write is in flight are written together by the next one. A delivery's promise resolves
 * only after its row is committed.
 */
@Injectable()
export class LedgerWriter implements OnApplicationShutdown {
  private readonly batches: GroupCommit<NewDelivery, RecordedDelivery>;

  constructor(
    private readonly database: DatabasePool,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.batches = new GroupCommit((deliveries) => this.write(deliveries), config.INGEST_MAX_BATCH);
  }

  record(delivery: NewDelivery): Promise<RecordedDelivery> {
    return this.batches.submit(delivery);
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('ledger writer: deliveries being committed', this.batches.drain());
  }

  /**
   * One row PostgreSQL refuses fails the whole statement: the batch is then written one delivery at
   * a time, so that only the delivery at fault is refused and the others are committed as usual.
   */
  private async write(batch: NewDelivery[]): Promise<ItemOutcome<RecordedDelivery>[]> {
    try {
      return await this.insert(batch);
    } catch (err) {
      if (!isRowDataError(err)) throw err;
      if (batch.length === 1) return [{ ok: false, error: new UnstorablePayloadError(err.message) }];
      const outcomes: ItemOutcome<RecordedDelivery>[] = [];
      // In order, one after the other: of two copies of a delivery, the first is the new row.
      for (const delivery of batch) outcomes.push(...(await this.write([delivery])));
      return outcomes;
    }
  }

  private async insert(batch: NewDelivery[]): Promise<ItemOutcome<RecordedDelivery>[]> {
    const groups = new Map<string, number[]>();
    batch.forEach((delivery, index) => {
      const key = `${delivery.provider}\u0000${delivery.deliveryId}`;
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    });
    const firsts = [...groups.values()].map((g) => batch[g[0]]);
    const column = <K extends keyof NewDelivery>(key: K) => firsts.map((d) => d[key]);

    const { rows } = await this.database.execute<{ id: string; provider: string; delivery_id: string; inserted: boolean }>(INSERT_BATCH, [
      column('id'),
      column('provider'),
      column('deliveryId'),
      column('eventType'),
      column('subject'),
      column('status'),
      column('statusReason'),
      `[${column('payloadJson').join(',')}]`,
      JSON.stringify(column('headers')),
      [...groups.values()].map((g) => g.length),
    ]);

    const byKey = new Map(rows.map((r) => [`${r.provider}\u0000${r.delivery_id}`, r]));
    const outcomes: ItemOutcome<RecordedDelivery>[] = new Array(batch.length);
    for (const [key, indexes] of groups) {
      const row = byKey.get(key);
      indexes.forEach((index, copy) => {
        outcomes[index] = row
          ? { ok: true, value: { id: row.id, duplicate: !row.inserted || copy > 0 } }
          : { ok: false, error: new Error('ledger insert returned no row') };
      });
    }
    return outcomes;
  }
}
