import { BullModule } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { ConnectionTroubleLog } from './connection-trouble-log.js';
import { endLostConnections } from './end-lost-connections.js';
import { queueWorkerCommandsWhileOffline } from './worker-offline-queue.js';

const logger = new Logger('Queue');

/**
 * A queue's or worker's connection, watched from construction (before its first attempt can fail):
 * whether it is up, and its errors, which BullMQ re-emits once per reconnect attempt and prints raw
 * to stderr (outside the JSON log) when nothing listens, logged once per outage.
 */
class ConnectionWatch {
  /** From the backend's events. The PostgreSQL backend says 'ready' once and is then taken as up. */
  up = false;
  private readonly trouble: ConnectionTroubleLog;

  constructor(subject: string, backend: Queue['backend'] | Worker['backend']) {
    this.trouble = new ConnectionTroubleLog(logger, subject);
    backend.on('ready', () => {
      this.up = true;
      this.trouble.ready();
    });
    backend.on('close', () => (this.up = false));
  }

  failed(err: Error): void {
    this.trouble.failed(err);
  }
}

/**
 * A producer's command in flight when Redis goes away is sent again by ioredis once it reconnects,
 * for up to maxRetriesPerRequest (20) attempts: the dispatcher's flush waited that long, and the
 * deliveries acknowledged meanwhile waited behind it in memory, with nothing logged. With no retry
 * it fails at once, its rows go back to RECEIVED for the outbox relay, and the dispatcher says so.
 * Only for connections built from options (not a cluster client, not the PostgreSQL queue's pool).
 */
function failInFlightCommandsOnDisconnect(opts: QueueOptions): QueueOptions {
  const connection = opts.connection as object | undefined;
  if (!connection || Object.getPrototypeOf(connection) !== Object.prototype) return opts;
  return { ...opts, connection: { ...connection, maxRetriesPerRequest: 0 } } as QueueOptions;
}

/** The queue class @nestjs/bullmq builds: BullMQ's, with its connection watched. */
export class HookwiseQueue extends Queue {
  private readonly connectionWatch: ConnectionWatch;

  constructor(name: string, opts: QueueOptions) {
    super(name, failInFlightCommandsOnDisconnect(opts));
    this.connectionWatch = new ConnectionWatch(`queue ${name}`, this.backend);
    this.on('error', (err) => this.connectionWatch.failed(err));
  }

  /**
   * BullMQ closes with QUIT, which ioredis refuses while Redis is away (a producer's connection
   * queues nothing offline): the close would fail and leave the client reconnecting. Then the
   * connection is dropped instead (BullMQ's forced close; its disconnect() would wait for an 'end'
   * that ioredis never emits while it waits to reconnect).
   */
  override async close(): Promise<void> {
    if (!this.connectionWatch.up) this.closing ??= this.backend.close(true);
    return trackClosing(`queue ${this.name}`, super.close());
  }
}

/**
 * The worker class @nestjs/bullmq builds for every @Processor: BullMQ's, with its connection
 * watched, a 2 s retry after a failed fetch, its Redis connections queueing commands while Redis is
 * away, and a close that does not hang while Redis is away.
 */
export class HookwiseWorker extends Worker {
  private readonly connectionWatch: ConnectionWatch;
  private readonly handlersRunning = new Set<Promise<unknown>>();

  constructor(name: string, processor: Processor | undefined, opts: WorkerOptions) {
    // runRetryDelay: the wait before fetching again after a fetch failed on the connection (BullMQ:
    // 15 s, and nothing interrupts it). It is how long a worker may sit idle after its connection
    // comes back; one connection attempt every 2 s is cheap.
    super(name, processor, { runRetryDelay: 2000, ...opts });
    this.connectionWatch = new ConnectionWatch(`worker ${name}`, this.backend);
    this.on('error', (err) => this.connectionWatch.failed(err));
    queueWorkerCommandsWhileOffline(this);
  }

  protected override callProcessJob(job: Job, token: string, signal?: AbortSignal): Promise<unknown> {
    const run = super.callProcessJob(job, token, signal);
    this.handlersRunning.add(run);
    const forget = () => this.handlersRunning.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * While Redis is away BullMQ cannot finish a job (the completion waits for Redis) and its QUIT is
   * never answered, so a plain close would hang until SHUTDOWN_TIMEOUT_MS. Then the handlers running
   * are let finish (their outcome is in the ledger) and the worker closes at once: once Redis is
   * back, BullMQ hands those jobs to a worker as stalled, and the ledger keeps a finished event from
   * running again.
   */
  override close(force = false): Promise<void> {
    return trackClosing(() => `worker ${this.name}: ${this.handlersRunning.size} job(s) running`, this.closeWorker(force));
  }

  private async closeWorker(force: boolean): Promise<void> {
    if (force) return super.close(true);
    if (!this.connectionWatch.up) {
      await Promise.allSettled(this.handlersRunning);
      return super.close(true);
    }
    // BullMQ's close waits for the jobs' completions and for its blocking connection to end. If a
    // connection is lost meanwhile, or was lost before this worker heard of it, those waits never
    // end: ioredis neither sends the completions nor ends a client that waits to reconnect. So once
    // the handlers are done, any connection still down is ended (the completions fail, the jobs
    // come back as stalled, as above) for the close to go on.
    const closing = super.close(false);
    const closed = closing.then(() => true, () => true);
    await Promise.race([closed, Promise.allSettled(this.handlersRunning)]);
    while (!(await Promise.race([closed, sleep(500, false, { ref: false })]))) await endLostConnections(this);
    return closing;
  }
}

/** Before any queue or worker exists. */
export function installBullmqClasses(): void {
  BullModule.queueClass = HookwiseQueue;
  BullModule.workerClass = HookwiseWorker;
}
