import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { DatabasePool } from '../ledger/database-pool.js';

export interface NewDelivery {
  id: string;
  provider: string;
  deliveryId: string;
  eventType: string;
  subject: string | null;
  status: 'RECEIVED' | 'IGNORED';
  statusReason: string | null;
  payloadJson: string;
  headers: Record<string, string>;
}

export interface RecordedDelivery {
  /** Ledger id: the new row's, or the existing row's for a duplicate. */
  id: string;
  duplicate: boolean;
}

interface Pending {
  delivery: NewDelivery;
  resolve: (recorded: RecordedDelivery) => void;
  reject: (err: unknown) => void;
}

// One statement per batch. Copies of one delivery inside a batch are collapsed before the insert
// (ON CONFLICT may touch a row once per statement) and counted through `copies`.
const INSERT_BATCH = `
INSERT INTO webhook_events
  (id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, delivery_count, processed_at)
SELECT id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, copies,
       CASE WHEN status = 'IGNORED' THEN now() END
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::"EventStatus"[], $7::text[],
            $8::jsonb[], $9::jsonb[], $10::int[])
  AS input(id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, copies)
ON CONFLICT (provider, delivery_id) DO UPDATE
  SET delivery_count = webhook_events.delivery_count + EXCLUDED.delivery_count,
      last_delivered_at = now()
RETURNING id, provider, delivery_id, (xmax = 0) AS inserted`;

/**
 * Commits deliveries to the ledger with group commit: deliveries that arrive while a write is in
 * flight are written together by the next one, in one statement and one transaction. An idle
 * system writes each delivery at once (no timer, no added latency); a busy one amortises the
 * commit over the batch. A delivery's promise resolves only after its row is committed.
 */
@Injectable()
export class LedgerWriter implements OnApplicationShutdown {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly maxBatch: number;

  constructor(
    private readonly database: DatabasePool,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxBatch = config.INGEST_MAX_BATCH;
  }

  record(delivery: NewDelivery): Promise<RecordedDelivery> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const groups = new Map<string, Pending[]>();
    for (const pending of batch) {
      const key = `${pending.delivery.provider}\u0000${pending.delivery.deliveryId}`;
      const group = groups.get(key);
      if (group) group.push(pending);
      else groups.set(key, [pending]);
    }
    const firsts = [...groups.values()].map((g) => g[0].delivery);
    const column = <K extends keyof NewDelivery>(key: K) => firsts.map((d) => d[key]);

    let rows: { id: string; provider: string; delivery_id: string; inserted: boolean }[];
    try {
      const result = await this.database.query(INSERT_BATCH, [
        column('id'),
        column('provider'),
        column('deliveryId'),
        column('eventType'),
        column('subject'),
        column('status'),
        column('statusReason'),
        column('payloadJson'),
        firsts.map((d) => JSON.stringify(d.headers)),
        [...groups.values()].map((g) => g.length),
      ]);
      rows = result.rows as typeof rows;
    } catch (err) {
      for (const pending of batch) pending.reject(err);
      return;
    }

    const byKey = new Map(rows.map((r) => [`${r.provider}\u0000${r.delivery_id}`, r]));
    for (const [key, group] of groups) {
      const row = byKey.get(key);
      if (!row) {
        for (const pending of group) pending.reject(new Error('ledger insert returned no row'));
        continue;
      }
      group.forEach((pending, index) => pending.resolve({ id: row.id, duplicate: !row.inserted || index > 0 }));
    }
  }
}
