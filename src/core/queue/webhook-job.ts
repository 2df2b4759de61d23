/** Payload of a webhook job: the ledger row is the source of truth, the job only points at it. */
export interface WebhookJobData {
  eventId: string;
  /** Set on a continuation job (CONTINUE_EVENT_JOB): the event runs again after a decision on one of its actions. */
  continuation?: {
    /** The event's status reason while it waits to run again: which action was decided, how, by whom. */
    reason: string;
    /** Set once this job has reopened the event: its retries, and a restart after a stall, run it like any attempt. */
    reopened?: boolean;
  };
}
