import { BullModule } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Queue, Worker, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { ConnectionTroubleLog } from './connection-trouble-log.js';
import { queueWorkerCommandsWhileOffline } from './worker-offline-queue.js';

const logger = new Logger('Queue');

// BullMQ re-emits every connection error of a queue or worker as an 'error' event, once per
// reconnect attempt, and prints it raw to stderr (outside the JSON log) when nothing listens. These
// classes listen from construction, before the first connection attempt can fail, and log the
// errors once per outage.

function troubleLog(subject: string, backend: Queue['backend'] | Worker['backend']): ConnectionTroubleLog {
  const log = new ConnectionTroubleLog(logger, subject);
  backend.on('ready', () => log.ready());
  return log;
}

/** The queue class @nestjs/bullmq builds: BullMQ's, with its connection errors logged. */
export class HookwiseQueue extends Queue {
  constructor(name: string, opts: QueueOptions) {
    super(name, opts);
    const trouble = troubleLog(`queue ${name}`, this.backend);
    this.on('error', (err) => trouble.failed(err));
  }
}

/**
 * The worker class @nestjs/bullmq builds for every @Processor: BullMQ's, with its connection
 * errors logged and its Redis connections queueing commands while Redis is away.
 */
export class HookwiseWorker extends Worker {
  constructor(name: string, processor: Processor | undefined, opts: WorkerOptions) {
    super(name, processor, opts);
    const trouble = troubleLog(`worker ${name}`, this.backend);
    this.on('error', (err) => trouble.failed(err));
    queueWorkerCommandsWhileOffline(this);
  }
}

/** Before any queue or worker exists. */
export function installBullmqClasses(): void {
  BullModule.queueClass = HookwiseQueue;
  BullModule.workerClass = HookwiseWorker;
}
