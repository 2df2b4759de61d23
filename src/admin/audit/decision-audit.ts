import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ActionDecision } from '../../core/actions/action-decision.js';
import { ActionService } from '../../core/actions/action.service.js';
import { AdminAuditLog } from './admin-audit-log.js';

/**
 * Every decision on a pending action goes to the audit trail, whichever way it was made (the admin
 * API, a Slack button, ...): `action.approve` / `action.reject`, by the admin key's fingerprint or
 * `slack:<user id>`, with the channel and the outcome (the action's status after the decision).
 * A handler approving its own action by policy is not an operator's decision: the action row records it.
 */
@Injectable()
export class DecisionAudit implements OnModuleInit {
  constructor(
    private readonly actions: ActionService,
    private readonly audit: AdminAuditLog,
  ) {}

  onModuleInit(): void {
    this.actions.onDecided((decision) => this.record(decision));
  }

  private record({ decision, decidedBy, via, action }: ActionDecision): Promise<void> {
    return this.audit.record({
      keyFingerprint: decidedBy,
      action: decision === 'approved' ? 'action.approve' : 'action.reject',
      target: action.id,
      details: {
        via,
        outcome: action.status,
        tool: action.tool,
        eventId: action.eventId,
        ...(action.rejectionReason !== null && decision === 'rejected' && { reason: action.rejectionReason }),
      },
    });
  }
}
