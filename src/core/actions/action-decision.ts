import type { AgentAction } from '../../generated/prisma/client.js';

/** Who decides a pending action, and from where. */
export interface DecisionSource {
  /**
   * The channel the decision came through, for the audit trail: `admin-api`, `slack`, or a
   * handler's own policy. Unset: `unspecified`.
   */
  via?: string;
  /**
   * The event's own handler decides, during its run (an `auto` policy approving its own action):
   * nobody is told, and the event does not resume, since the run that decided is still going.
   */
  withinRun?: boolean;
}

/** An operator's decision on an action that was PENDING_APPROVAL, as ActionService.onDecided listeners get it. */
export interface ActionDecision {
  decision: 'approved' | 'rejected';
  /** Who decided: an admin key's fingerprint, `slack:<user id>`, ... */
  decidedBy: string;
  via: string;
  /** The row after the decision: EXECUTED, FAILED or DRY_RUN once approved; REJECTED. */
  action: AgentAction;
}
