import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';
import { uuidv7 } from '../http/uuid-v7.js';
import { isRowDataError } from '../events/unstorable-payload.error.js';
import { InvalidDeliveryError } from '../ingest/invalid-delivery.error.js';
import { JobDispatcher } from '../ingest/job-dispatcher.js';
import type { WebhookProviderDefinition } from '../ingest/webhook-provider-definition.js';
import type { RetrievedDelivery, RetrievedOutcome } from './reconciliation-context.js';

// The ledger's dedup, (provider, delivery_id), as for a received delivery; but a copy the ledger
// already has is left untouched (it was not delivered again: no delivery_count, no last_delivered_at).
// Written RECEIVED, then handed to the queue, which marks it QUEUED; if the queue is away the outbox
// relay finds it like any RECEIVED row.
const INSERT_RECONCILED = `
INSERT INTO webhook_events (id, provider, delivery_id, event_type, subject, status, status_reason, payload, headers, provenance, processed_at)
VALUES ($1, $2, $3, $4, $5, $6::"EventStatus", $7, $8::jsonb, $9::jsonb, 'reconciled', CASE WHEN $6 = 'IGNORED' THEN now() END)
ON CONFLICT (provider, delivery_id) DO NOTHING
RETURNING id`;

/**
 * Writes deliveries fetched from a sender's API to the ledger. Not on the ingest hot path (the
 * group-commit LedgerWriter stays as it is): reconciliation writes a few rows per run, one
 * statement each, with the provider's own `describe` reading them as it reads a received delivery.
 */
@Injectable()
export class ReconciledEventWriter {
  constructor(
    private readonly database: DatabasePool,
    private readonly dispatcher: JobDispatcher,
  ) {}

  async write(provider: WebhookProviderDefinition, delivery: RetrievedDelivery): Promise<RetrievedOutcome> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...delivery.headers };
    const json = delivery.body;
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch {
      throw new InvalidDeliveryError('invalid_json', 'the retrieved payload is not valid JSON');
    }
    const description = provider.describe(payload, headers);
    // What the provider keeps of a payload (WebhookProviderDefinition.redact), as for a received delivery.
    const stored = this.redacted(provider, payload);
    const storedHeaders = Object.fromEntries(provider.storedHeaders.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]));
    const status = description.ignoreReason ? 'IGNORED' : 'RECEIVED';
    const { rows } = await this.database.query<{ id: string }>(INSERT_RECONCILED, [
      uuidv7(),
      provider.name,
      description.deliveryId,
      description.eventType,
      description.subject,
      status,
      description.ignoreReason ?? null,
      stored ?? json,
      JSON.stringify(storedHeaders),
    ]).catch((err: unknown) => {
      // A payload PostgreSQL refuses (a NUL in jsonb...) is this delivery's fault, not the run's.
      throw isRowDataError(err) ? new InvalidDeliveryError('unstorable_payload', (err as Error).message) : err;
    });
    if (rows.length === 0) return 'duplicate';
    // The queue away: the row stays RECEIVED, and the outbox relay enqueues it once the queue is back.
    if (status === 'RECEIVED') await this.dispatcher.enqueue([{ id: rows[0].id, provider: provider.name }]).catch(() => undefined);
    return 'ingested';
  }

  /** The redacted payload's JSON, or null to store it as fetched. */
  private redacted(provider: WebhookProviderDefinition, payload: unknown): string | null {
    try {
      const redacted = provider.redact?.(payload);
      return redacted ? JSON.stringify(redacted.payload) : null;
    } catch (err) {
      // Nesting deeper than the stack: this delivery's fault, never stored as it came.
      if (err instanceof RangeError) throw new InvalidDeliveryError('unstorable_payload', 'the payload nests too deeply');
      throw err;
    }
  }
}
