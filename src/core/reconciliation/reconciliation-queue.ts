import { randomUUID } from 'node:crypto';
import type { ReconciliationTrigger } from './reconciliation-store.js';

/** The queue reconciliation runs go through: scheduled by BullMQ's job schedulers, or queued on demand. */
export const RECONCILIATION_QUEUE = 'reconciliation';
export const RECONCILIATION_JOB = 'reconcile';

export interface ReconciliationJobData {
  source: string;
  trigger: ReconciliationTrigger;
}

/** One job scheduler per source (an upsert of the same id replaces it: every process may upsert at start). */
export function reconciliationSchedulerId(source: string): string {
  return `reconcile-${source}`;
}

/** An on-demand job of a source (ids are unique: a finished job may stay in the queue's history a while). */
export function manualReconciliationJobId(source: string): string {
  return `reconcile-${source}-manual-${randomUUID()}`;
}
