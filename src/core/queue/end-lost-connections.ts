import type { Worker } from 'bullmq';
import { workerRedisClients } from './worker-redis-clients.js';

/** The parts of an ioredis client this needs; `setStatus` and `flushQueue` are internal to ioredis. */
interface IoredisClient {
  status: string;
  disconnect(): void;
  setStatus(status: 'end'): void;
  flushQueue(error: Error): void;
  /** Commands that were in flight when the connection dropped, kept to be sent again. */
  prevCommandQueue?: { shift(): { command: { reject(error: Error): void } } | undefined } | null;
}

/**
 * Ends an ioredis client that has lost its connection, so that what waits on it gives up. A client
 * trying to connect ends on disconnect(). One waiting to reconnect does not: ioredis then only
 * clears the timer (the socket is already gone), emits no 'end' and leaves the commands it queued
 * offline pending, and whatever waits for either (BullMQ's close) waits forever. That one is ended
 * as ioredis ends a client closed by hand (status 'end', queued commands rejected), and the commands
 * it kept to send again are rejected too.
 * A connected client is left alone.
 */
function endDisconnectedClient(client: unknown): void {
  const redis = client as IoredisClient | undefined;
  const closed = new Error('Connection is closed.');
  if (redis?.status === 'connecting') {
    redis.disconnect();
  } else if (redis?.status === 'reconnecting') {
    redis.disconnect();
    redis.setStatus('end');
    redis.flushQueue(closed);
  } else {
    return;
  }
  // ioredis would send these again after reconnecting (a worker's blocking fetch among them).
  for (let item = redis.prevCommandQueue?.shift(); item; item = redis.prevCommandQueue?.shift()) item.command.reject(closed);
}

/** Ends those of a Redis-backed worker's clients that have lost their connection (as above). */
export async function endLostConnections(worker: Worker): Promise<void> {
  for (const client of workerRedisClients(worker)) endDisconnectedClient(await client.catch(() => undefined));
}
