import type { AgentAction } from '../../generated/prisma/client.js';

/** What ActionService did with a request: the action row as it now stands. */
export type ActionOutcome =
  | {
      kind: 'recorded';
      action: AgentAction;
      /** The key already had a row: nothing was executed this time. */
      duplicate: boolean;
      /** Set on FAILED: retrying the same call cannot help (a 4xx from the API, say). */
      permanent?: boolean;
      /** Set on FAILED when the API rate limited the call: how long it asked to wait (ms). */
      retryAfterMs?: number;
    }
  /** The arguments did not match the tool's schema; no row is written. */
  | { kind: 'invalid_arguments'; error: string };
