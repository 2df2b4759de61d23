import type { Worker } from 'bullmq';

/** The parts of an ioredis client this needs; `setStatus` and `flushQueue` are internal to ioredis. */
interface IoredisClient {
  status: string;
  disconnect(): void;
  setStatus(status: 'end'): void;
  flushQueue(error: Error): void;
}

/**
 * Ends an ioredis client that has lost its connection, so that what waits on it gives up. A client
 * trying to connect ends on disconnect(). One waiting to reconnect does not: ioredis then only
 * clears the timer (the socket is already gone), emits no 'end' and leaves the commands it queued
 * offline pending, and whatever waits for either (BullMQ's close) waits forever. That one is ended
 * as ioredis ends a client closed by hand: status 'end', queued commands rejected.
 * A connected client is left alone.
 */
function endDisconnectedClient(client: unknown): void {
  const redis = client as IoredisClient | undefined;
  if (redis?.status === 'connecting') {
    redis.disconnect();
  } else if (redis?.status === 'reconnecting') {
    redis.disconnect();
    redis.setStatus('end');
    redis.flushQueue(new Error('Connection is closed.'));
  }
}

/** Ends those of a Redis-backed worker's clients that have lost their connection (as above). */
export async function endLostConnections(worker: Worker): Promise<void> {
  const backend = worker.backend as unknown as { client?: Promise<unknown>; blockingClient?: Promise<unknown> };
  for (const client of [backend.client, backend.blockingClient]) endDisconnectedClient(await client?.catch(() => undefined));
}
