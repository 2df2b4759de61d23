/**
 * What the process is still closing, so that a shutdown that overruns SHUTDOWN_TIMEOUT_MS can say
 * what it was waiting for instead of guessing. Process-wide, like the signals that start a stop.
 */
const pending = new Map<symbol, { describe: () => string; since: number }>();

/**
 * Awaits `closing`, listed under `what` until it settles. `what` may be a function, read when the
 * list is, for a description that changes while it closes (the jobs a worker still runs).
 */
export async function trackClosing<T>(what: string | (() => string), closing: T | Promise<T>): Promise<T> {
  const key = Symbol();
  pending.set(key, { describe: typeof what === 'string' ? () => what : what, since: Date.now() });
  try {
    return await closing;
  } finally {
    pending.delete(key);
  }
}

/** Each closure not finished yet, with how long it has taken: `worker webhook-github: 1 job running (25001 ms)`. */
export function stillClosing(now = Date.now()): string[] {
  return [...pending.values()].map(({ describe, since }) => `${describe()} (${now - since} ms)`);
}
