/** Payload of a webhook job: the ledger row is the source of truth, the job only points at it. */
export interface WebhookJobData {
  eventId: string;
}
