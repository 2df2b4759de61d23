import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** A ledger row that has waited `ageSeconds` for a worker (for INGEST_MAX_BACKLOG's backlog age). */
export async function waitingEvent(t: TestApp, status: 'RECEIVED' | 'QUEUED' | 'PROCESSING', ageSeconds: number): Promise<string> {
  const id = randomUUID();
  await t.prisma.$executeRawUnsafe(
    `INSERT INTO webhook_events (id, provider, delivery_id, event_type, status, payload, received_at)
     VALUES ($1::uuid, 'synthetic', $2, 'thing.created', $3::"EventStatus", '{}', now() - make_interval(secs => $4))`,
    id,
    randomUUID(),
    status,
    ageSeconds,
  );
  return id;
}
