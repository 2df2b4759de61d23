import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { AppConfig } from '../../config/env.schema.js';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { ConnectionTroubleLog } from '../queue/connection-trouble-log.js';

/** First key of the owners' advisory locks ("Hkwr"); the second key is the owner id. */
export const RUN_OWNER_LOCK_SPACE = 0x486b7752;

/**
 * SQL: the owner ids whose process is alive (holds its lock). Two-key advisory locks show in
 * pg_locks as classid = first key, objid = second key, objsubid = 2. Not correlated with the runs:
 * PostgreSQL reads pg_locks once per statement and hashes the ids.
 */
export const LIVE_RUN_OWNERS = `SELECT objid FROM pg_locks
  WHERE locktype = 'advisory' AND classid = ${RUN_OWNER_LOCK_SPACE} AND objsubid = 2 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

// The server drops the session ~25 s after the machine running this process vanishes (no FIN ever
// comes), instead of the operating system's default of about two hours. Ignored on Unix sockets.
const SESSION_SETTINGS = 'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3';
// idle_session_timeout (PostgreSQL 14+) would end the session, and with it the lock, while it waits.
const NO_IDLE_TIMEOUT = `SELECT set_config('idle_session_timeout', '0', false) WHERE current_setting('server_version_num')::int >= 140000`;
const RETRY_MS = 1_000;

/**
 * Tells the agent runs of a live process from those of a dead one. A process running agents holds
 * a PostgreSQL session-level advisory lock (RUN_OWNER_LOCK_SPACE, its owner id) on a connection of
 * its own, taken before its first run, kept until its last run has ended, and records the owner id
 * on every run. PostgreSQL releases the lock when the session ends: at once when the process dies
 * (kill -9, out of memory, eviction: the kernel closes its socket), ~25 s after its machine vanished
 * (keepalives). A process whose event loop is blocked, or that lost Redis (and so its job's lock),
 * keeps its session: its runs are not taken for interrupted while they may still act.
 */
@Injectable()
export class AgentRunOwner implements OnApplicationShutdown {
  private id = randomInt(1, 2 ** 31 - 1);
  private locked = false;
  private session: Promise<pg.Client> | null = null;
  private inFlight = 0;
  private whenIdle: (() => void) | null = null;
  private closed = false;
  private readonly trouble: ConnectionTroubleLog;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    logger: PinoLogger,
  ) {
    this.trouble = new ConnectionTroubleLog(logger, 'agent run owner session', 'lock held again');
  }

  /** Runs `work` as a run of this process: under the owner lock, which is kept until it ends. */
  async run<T>(work: (ownerId: number) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      await this.hold();
      return await work(this.id);
    } finally {
      if (--this.inFlight === 0) this.whenIdle?.();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Released only after the last run: a run finishing during a graceful stop is not interrupted.
    if (this.inFlight > 0) {
      await trackClosing(
        () => `agent run owner: ${this.inFlight} agent run(s) still running`,
        new Promise<void>((resolve) => (this.whenIdle = resolve)),
      );
    }
    this.closed = true;
    const session = this.session;
    this.session = null;
    const client = await session?.catch(() => null);
    await client?.end().catch(() => undefined);
  }

  private hold(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('agent run owner: the process is shutting down'));
    this.session ??= this.connect().catch((err: unknown) => {
      this.session = null;
      throw err;
    });
    return this.session;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.config.DATABASE_URL,
      application_name: `hookwise-${this.config.APP_ROLE} run owner`,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    // Without a listener, an error on this idle connection (database restart) would end the process.
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    try {
      await client.connect();
      await client.query(SESSION_SETTINGS);
      await client.query(NO_IDLE_TIMEOUT);
      await this.lock(client);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    this.trouble.ready();
    return client;
  }

  /** Takes the owner lock; until a run has been recorded under the id, an id another session holds is swapped for a new one. */
  private async lock(client: pg.Client): Promise<void> {
    for (let tries = 0; ; tries++) {
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS held', [RUN_OWNER_LOCK_SPACE, this.id]);
      if (rows[0].held) {
        this.locked = true;
        return;
      }
      if (this.locked || tries >= 3) throw new Error(`agent run owner: the lock of owner id ${this.id} is held by another session`);
      this.id = randomInt(1, 2 ** 31 - 1);
    }
  }

  /** The session ended under the runs: other processes now take them for interrupted, so the lock is taken again at once. */
  private lost(client: pg.Client, err: Error): void {
    void this.session?.then(
      (current) => {
        if (current !== client || this.closed) return;
        this.session = null;
        this.trouble.failed(err);
        if (this.inFlight > 0) this.retake();
      },
      () => undefined, // a failed connect reports itself to its caller
    );
  }

  private retake(): void {
    this.hold().catch((err: Error) => {
      this.trouble.failed(err);
      if (this.inFlight > 0 && !this.closed) setTimeout(() => this.retake(), RETRY_MS).unref();
    });
  }
}
