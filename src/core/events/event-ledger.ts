import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { EventStatus, type WebhookEvent } from '../../generated/prisma/client.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { DatabasePool } from '../database/database-pool.js';
import { GroupCommit, type ItemOutcome } from './group-commit.js';
import { storedError } from './stored-error.js';

/** The row as Prisma's WebhookEvent type has it (the ledger's queries run on the pool, not the ORM). */
const EVENT_COLUMNS = `id, provider, delivery_id AS "deliveryId", event_type AS "eventType", subject, status,
  status_reason AS "statusReason", payload, headers, delivery_count AS "deliveryCount",
  last_delivered_at AS "lastDeliveredAt", attempts, last_error AS "lastError", received_at AS "receivedAt",
  processed_at AS "processedAt", updated_at AS "updatedAt"`;

// A job may (re)start work from RECEIVED, QUEUED or FAILED; a stalled PROCESSING row is picked up again.
const CLAIM_BATCH = `
UPDATE webhook_events SET status = 'PROCESSING', attempts = attempts + 1, updated_at = now()
WHERE id = ANY($1::uuid[]) AND status IN ('RECEIVED', 'QUEUED', 'FAILED', 'PROCESSING')
RETURNING ${EVENT_COLUMNS}`;

// One outcome per row. A null reason or error with its keep flag set leaves the stored one as it is.
// Only the attempt that claimed the row last may finish it: a run of a stalled job that BullMQ has
// started again (attempts + 1) must not overwrite the newer run's outcome when it ends later.
// Not a prepared statement: a generic plan made while the table was small (a hash join over a
// sequential scan) stays in the connection's cache, and the update then cost ~0.5 ms per row instead
// of ~0.1 ms as the table grew (pg_stat_statements, 1,000 req/s). The same holds for the claim.
const FINISH_BATCH = `
UPDATE webhook_events AS e SET
  status = v.status::"EventStatus",
  status_reason = CASE WHEN v.keep_reason THEN e.status_reason ELSE v.status_reason END,
  last_error = CASE WHEN v.keep_error THEN e.last_error ELSE v.last_error END,
  processed_at = CASE WHEN v.status = 'FAILED' THEN e.processed_at ELSE now() END,
  updated_at = now()
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::int[])
  AS v(id, status, status_reason, last_error, keep_reason, keep_error, attempt)
WHERE e.id = v.id AND e.status = 'PROCESSING' AND e.attempts = v.attempt
RETURNING e.id`;

/** An attempt as its claim returned it: the row, and the attempt number that claim gave it. */
export type ClaimedAttempt = Pick<WebhookEvent, 'id' | 'attempts'>;

interface Outcome {
  id: string;
  /** The attempt number of the claim this outcome ends. */
  attempt: number;
  status: EventStatus;
  /** undefined: keep the stored value. */
  statusReason?: string | null;
  lastError?: string | null;
}

/**
 * Reads and status transitions of ledger rows after ingestion (inserts live in LedgerWriter).
 * The worker's claim and outcome writes run once per job: they go through group commit, so the
 * jobs running at the same time share one statement per step. Everything here runs on the pool
 * rather than the ORM: it is on the hot paths, and an api process that only ingests then never
 * loads Prisma's query compiler (about 70 MB of resident memory).
 */
@Injectable()
export class EventLedger implements OnApplicationShutdown {
  private readonly claims: GroupCommit<string, WebhookEvent | null>;
  private readonly outcomes: GroupCommit<Outcome, boolean>;

  constructor(
    private readonly database: DatabasePool,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.claims = new GroupCommit((ids) => this.claimBatch(ids), config.INGEST_MAX_BATCH);
    this.outcomes = new GroupCommit((outcomes) => this.finishBatch(outcomes), config.INGEST_MAX_BATCH);
  }

  async findById(id: string): Promise<WebhookEvent | null> {
    const { rows } = await this.database.query<WebhookEvent>(`SELECT ${EVENT_COLUMNS} FROM webhook_events WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Claims the event for an attempt (PROCESSING, attempts + 1); null when it is already terminal (or unknown). */
  startAttempt(id: string): Promise<WebhookEvent | null> {
    return this.claims.submit(id);
  }

  // Each resolves false when the outcome was not written: a later claim of the event owns it now.

  markSucceeded(attempt: ClaimedAttempt): Promise<boolean> {
    return this.finish(attempt, EventStatus.SUCCEEDED, { statusReason: null, lastError: null });
  }

  markIgnored(attempt: ClaimedAttempt, reason: string): Promise<boolean> {
    return this.finish(attempt, EventStatus.IGNORED, { statusReason: reason });
  }

  markDead(attempt: ClaimedAttempt, error: string, reason: string): Promise<boolean> {
    return this.finish(attempt, EventStatus.DEAD, { lastError: storedError(error), statusReason: reason });
  }

  /** A failed attempt that will be retried; a reason left by an earlier rate-limited attempt no longer holds. */
  markFailed(attempt: ClaimedAttempt, error: string): Promise<boolean> {
    return this.finish(attempt, EventStatus.FAILED, { lastError: storedError(error), statusReason: null });
  }

  /**
   * An attempt stopped by an upstream rate limit: QUEUED again, and the attempt not counted (its job
   * waits without counting one either). A row no longer PROCESSING under this attempt is left as it is.
   */
  async requeueRateLimited({ id, attempts }: ClaimedAttempt, error: string, reason: string): Promise<void> {
    await this.database.query(
      `UPDATE webhook_events SET status = 'QUEUED', attempts = greatest(attempts - 1, 0), last_error = $2, status_reason = $3, updated_at = now()
       WHERE id = $1 AND status = 'PROCESSING' AND attempts = $4`,
      [id, storedError(error), reason, attempts],
    );
  }

  /**
   * A DEAD event that a replay has now handled: SUCCEEDED or IGNORED from here on, so the ledger (and
   * the next bulk replay of DEAD events) sees it as done. `last_error` keeps what made it DEAD.
   * False when the row is not DEAD (any more).
   */
  async resolveDeadByReplay(id: string, status: 'SUCCEEDED' | 'IGNORED', reason: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `UPDATE webhook_events SET status = $2::"EventStatus", status_reason = $3, processed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'DEAD'`,
      [id, status, reason],
    );
    return rowCount === 1;
  }

  /**
   * A finished event (SUCCEEDED, IGNORED or DEAD) goes back to QUEUED with `reason`, for its handler
   * to run again (see EventContinuation). False when it is not finished: it has a job that will run
   * it, or one running it now.
   */
  async reopen(id: string, reason: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `UPDATE webhook_events SET status = 'QUEUED', status_reason = $2, updated_at = now()
       WHERE id = $1 AND status IN ('SUCCEEDED', 'IGNORED', 'DEAD')`,
      [id, reason],
    );
    return rowCount === 1;
  }

  /** RECEIVED rows that never reached the queue (Redis down, crash between commit and enqueue). */
  async findUnqueued(providers: string[], receivedBefore: Date, limit: number): Promise<Pick<WebhookEvent, 'id' | 'provider'>[]> {
    const { rows } = await this.database.query<Pick<WebhookEvent, 'id' | 'provider'>>(
      `SELECT id, provider FROM webhook_events
       WHERE status = 'RECEIVED' AND provider = ANY($1::text[]) AND received_at < $2
       ORDER BY received_at LIMIT $3`,
      [providers, receivedBefore, limit],
    );
    return rows;
  }

  /**
   * Events a job should be working on (QUEUED, PROCESSING, FAILED) untouched since `updatedBefore`,
   * in id (= arrival) order after `afterId`, for the outbox relay to check that their job still exists.
   */
  async findStalled(
    providers: string[],
    updatedBefore: Date,
    afterId: string | null,
    limit: number,
  ): Promise<Pick<WebhookEvent, 'id' | 'provider' | 'attempts'>[]> {
    const { rows } = await this.database.query<Pick<WebhookEvent, 'id' | 'provider' | 'attempts'>>(
      `SELECT id, provider, attempts FROM webhook_events
       WHERE status IN ('QUEUED', 'PROCESSING', 'FAILED') AND provider = ANY($1::text[]) AND updated_at < $2
         AND ($3::uuid IS NULL OR id > $3::uuid)
       ORDER BY id LIMIT $4`,
      [providers, updatedBefore, afterId, limit],
    );
    return rows;
  }

  /**
   * Unfinished events whose job failed for good after their last attempt without recording it: DEAD
   * (their last error, if any, is kept). Returns how many were still unfinished.
   */
  async markExhausted(ids: string[], attempts: number, reason: string): Promise<number> {
    const { rowCount } = await this.database.query(
      `UPDATE webhook_events SET status = 'DEAD', status_reason = $3, processed_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status IN ('QUEUED', 'PROCESSING', 'FAILED') AND attempts >= $2`,
      [ids, attempts, reason],
    );
    return rowCount ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing('event ledger: claims and outcomes being written', Promise.all([this.claims.drain(), this.outcomes.drain()]));
  }

  private finish({ id, attempts }: ClaimedAttempt, status: EventStatus, fields: Omit<Outcome, 'id' | 'attempt' | 'status'>): Promise<boolean> {
    return this.outcomes.submit({ id, attempt: attempts, status, ...fields });
  }

  private async claimBatch(ids: string[]): Promise<ItemOutcome<WebhookEvent | null>[]> {
    const { rows } = await this.database.query<WebhookEvent>(CLAIM_BATCH, [[...new Set(ids)].sort()]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    // Two jobs for one event in the same batch: the first gets the row, the other finds it claimed.
    return ids.map((id) => {
      const row = byId.get(id) ?? null;
      byId.delete(id);
      return { ok: true, value: row };
    });
  }

  private async finishBatch(outcomes: Outcome[]): Promise<ItemOutcome<boolean>[]> {
    // One row is updated once per statement: of two outcomes for one event, the newer attempt's
    // (of one attempt, the later) is the one that may be written.
    const byId = new Map<string, Outcome>();
    for (const o of outcomes) if (o.attempt >= (byId.get(o.id)?.attempt ?? -1)) byId.set(o.id, o);
    const latest = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : 1));
    const { rows } = await this.database.query<{ id: string }>(FINISH_BATCH, [
      latest.map((o) => o.id),
      latest.map((o) => o.status),
      latest.map((o) => o.statusReason ?? null),
      latest.map((o) => o.lastError ?? null),
      latest.map((o) => o.statusReason === undefined),
      latest.map((o) => o.lastError === undefined),
      latest.map((o) => o.attempt),
    ]);
    const written = new Set(rows.map((row) => row.id));
    return outcomes.map((o) => ({ ok: true, value: written.has(o.id) && byId.get(o.id) === o }));
  }
}
