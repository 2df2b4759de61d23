/** Queue of bulk replays, run by the API processes (APP_ROLE=api|all). */
export const ADMIN_REPLAY_QUEUE = 'admin-replays';
export const ADMIN_REPLAY_JOB = 'replay-event';

export interface AdminReplayJobData {
  eventId: string;
  batchId: string;
  dryRun: boolean;
  repeatActions: boolean;
  /** Fingerprint of the admin key that asked for it. */
  requestedBy: string;
}
