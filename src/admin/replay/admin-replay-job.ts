/** Queue of bulk replays, run by the API processes (APP_ROLE=api|all). */
export const ADMIN_REPLAY_QUEUE = 'admin-replays';
export const ADMIN_REPLAY_JOB = 'replay-event';

export interface AdminReplayJobData {
  eventId: string;
  batchId: string;
  dryRun: boolean;
  repeatActions: boolean;
  /**
   * Chosen when the job is queued, not when it runs: a job that BullMQ starts again after a stall
   * (its process died, or lost its lock) is the same replay, and finds the actions of its first run.
   * Absent on jobs queued by an older version.
   */
  replayId?: string;
  /** Fingerprint of the admin key that asked for it. */
  requestedBy: string;
}
