import pg from 'pg';
import { waitFor } from '../../support/wait-for.js';
import type { DeliveryDriver } from './delivery-driver.js';
import type { SideEffectCounter } from './side-effect-counter.js';

export interface LedgerFigures {
  sent: number;
  requests: number;
  acknowledged: number;
  stored: number;
  processed: number;
  sideEffects: number;
  sideEffectCalls: number;
  /** Acknowledged deliveries with no ledger row, or a row whose id differs from the one acknowledged. */
  lost: string[];
  /** Delivery ids stored more than once (impossible with the unique index, checked anyway). */
  storedTwice: string[];
  /** Events whose side effect was requested more than once (same idempotency key). */
  repeatedEffects: string[];
  /** Stored events with no side effect. */
  missingEffects: string[];
  notTerminal: number;
}

interface Row {
  id: string;
  delivery_id: string;
  status: string;
}

const TERMINAL = ['SUCCEEDED', 'IGNORED', 'DEAD'];

/** Reads the ledger rows of `deliveryIds` from the scenario's database. */
async function rowsOf(databaseUrl: string, deliveryIds: string[]): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Row>(
      `SELECT id::text, delivery_id, status::text FROM webhook_events WHERE provider = 'github' AND delivery_id = ANY($1::text[])`,
      [deliveryIds],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** Waits until every stored row of `deliveryIds` is terminal (or the time is up). */
export async function waitTerminal(databaseUrl: string, deliveryIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = await rowsOf(databaseUrl, deliveryIds);
    if (rows.length >= deliveryIds.length && rows.every((r) => TERMINAL.includes(r.status))) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const byStatus = new Map<string, number>();
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
  console.log(`[faults] still not terminal after ${timeoutMs / 1000} s: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(' ')}`);
}

/** Waits until every row of `deliveryIds` is stored with `status`; fails after `timeoutMs`. */
export async function waitStatus(databaseUrl: string, deliveryIds: string[], status: string, timeoutMs: number): Promise<void> {
  await waitFor(
    `${deliveryIds.length} rows ${status}`,
    async () => {
      const rows = await rowsOf(databaseUrl, deliveryIds);
      return rows.length === deliveryIds.length && rows.every((r) => r.status === status);
    },
    timeoutMs,
    200,
  );
}

/** Compares what the provider was told (driver) with the ledger and the side effects. */
export async function ledgerFigures(
  databaseUrl: string,
  deliveryIds: string[],
  driver: DeliveryDriver,
  counter: SideEffectCounter,
): Promise<LedgerFigures> {
  const rows = await rowsOf(databaseUrl, deliveryIds);
  const byDelivery = new Map<string, Row[]>();
  for (const row of rows) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
  const lost = [...driver.acknowledged].filter(([deliveryId, id]) => byDelivery.get(deliveryId)?.[0]?.id !== id).map(([d]) => d);
  const storedTwice = [...byDelivery].filter(([, r]) => r.length > 1).map(([d]) => d);
  const ids = rows.map((r) => r.id);
  const ours = new Set(deliveryIds);
  return {
    sent: deliveryIds.length,
    requests: driver.sent,
    acknowledged: [...driver.acknowledged.keys()].filter((d) => ours.has(d)).length,
    stored: rows.length,
    processed: rows.filter((r) => r.status === 'SUCCEEDED').length,
    sideEffects: ids.filter((id) => (counter.calls.get(id) ?? 0) > 0).length,
    sideEffectCalls: ids.reduce((sum, id) => sum + (counter.calls.get(id) ?? 0), 0),
    lost,
    storedTwice,
    repeatedEffects: ids.filter((id) => (counter.calls.get(id) ?? 0) > 1),
    missingEffects: ids.filter((id) => !counter.calls.has(id)),
    notTerminal: rows.filter((r) => !TERMINAL.includes(r.status)).length,
  };
}

export function printFigures(scenario: string, f: LedgerFigures, extra = ''): void {
  console.log(
    `[faults] ${scenario}: deliveries sent ${f.sent} (${f.requests} requests), acknowledged ${f.acknowledged}, stored ${f.stored}, ` +
      `processed ${f.processed}, side effects ${f.sideEffects} (${f.sideEffectCalls} calls)` +
      `${f.lost.length ? `, LOST ${f.lost.length}` : ''}${f.repeatedEffects.length ? `, repeated side-effect calls ${f.repeatedEffects.length}` : ''}` +
      `${f.notTerminal ? `, not terminal ${f.notTerminal}` : ''}${extra ? `; ${extra}` : ''}`,
  );
}
