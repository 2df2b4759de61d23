import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** Advisory lock keys: one namespace for reconciliation, one key per source (hashtext of its name). */
const LOCK_KEYS = `hashtext('hookwise.reconciliation'), hashtext($1)`;

/** A lock held by this process: release() ends it (also ended if the process or its session dies). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One run per source at a time across every process, on either queue backend: a PostgreSQL
 * session-level advisory lock on a session of its own, held for the whole run. A process that dies
 * mid-run loses its session and with it the lock, so a crash never leaves a source locked.
 */
@Injectable()
export class ReconciliationLock {
  constructor(private readonly database: DatabasePool) {}

  /** The lock, or null when another session holds it. */
  async tryAcquire(source: string): Promise<HeldLock | null> {
    const client = await this.database.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEYS}) AS locked`, [source]);
      if (!rows[0].locked) {
        client.release();
        return null;
      }
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query(`SELECT pg_advisory_unlock(${LOCK_KEYS})`, [source]);
          client.release();
        } catch (err) {
          // The session is discarded instead, which ends the lock all the same.
          client.release(err as Error);
        }
      },
    };
  }

  /** Whether some session holds the source's lock now (a run is in progress somewhere). */
  async isHeld(source: string): Promise<boolean> {
    const { rows } = await this.database.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = hashtext('hookwise.reconciliation')::oid AND objid = hashtext($1)::oid AND objsubid = 2) AS held`,
      [source],
    );
    return rows[0].held;
  }
}
