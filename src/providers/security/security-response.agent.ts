import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type AgentDefinition, SUBJECT_HISTORY_TOOL } from '../../core/index.js';

const assessment = z.strictObject({
  severity: z.enum(['critical', 'high', 'medium', 'low']).describe('How bad this leak is, given the service, the repository and the secret type.'),
  summary: z.string().min(1).max(2000).describe('What leaked, where, and what it exposes, in a few sentences. Never repeat a secret value.'),
  next_steps: z.array(z.string().min(1).max(500)).max(10).describe('What people should check or do beyond revoking and rotating the credential.'),
});
export type LeakAssessment = z.infer<typeof assessment>;

/** What the model is told about a leak: a handle and a fingerprint, never the secret. */
export interface LeakedCredential {
  repository: string;
  alertNumber: number;
  alertUrl: string;
  secretType: string;
  secretTypeName: string;
  service: string;
  fingerprint: string;
  /** How the destructive steps run for this type: at once, or after an operator approves. */
  response: 'auto' | 'approval' | 'manual';
}

const SEVERITY_PRIORITY = { critical: 'urgent', high: 'high', medium: 'medium', low: 'low' } as const;

/** The leaked-credential agent: assesses severity and writes the incident's prose; code does everything else. */
@Injectable()
export class SecurityResponseAgent {
  readonly definition: AgentDefinition<LeakAssessment> = {
    name: 'security-response',
    system: [
      'You are a security engineer triaging a credential that GitHub secret scanning found in a repository.',
      'You never see the secret itself, only its type, a fingerprint and where it was found; revocation, rotation and notifications are done by the system.',
      'Assess the severity and write a short incident summary and the follow-up checks people should make (access logs, usage since the leak, other copies).',
      `You may call ${SUBJECT_HISTORY_TOOL} to see earlier events about the same alert.`,
    ].join('\n'),
    tools: [SUBJECT_HISTORY_TOOL],
    stepTools: ['create_linear_issue'],
    answer: assessment,
  };

  task(leak: LeakedCredential): string {
    return `A ${leak.secretType} credential (service: ${leak.service}) leaked in ${leak.repository} (secret scanning alert #${leak.alertNumber}, fingerprint ${leak.fingerprint}). Assess it. The alert as GitHub reported it follows.`;
  }

  /** The untrusted data block: chosen fields of the alert, never the payload as a whole. */
  data(alert: Record<string, unknown>, leak: LeakedCredential): Record<string, unknown> {
    return {
      alert: {
        secret_type: leak.secretType,
        secret_type_display_name: leak.secretTypeName,
        repository: leak.repository,
        number: leak.alertNumber,
        html_url: leak.alertUrl,
        created_at: alert.created_at,
        push_protection_bypassed: alert.push_protection_bypassed,
        validity: alert.validity,
        publicly_leaked: alert.publicly_leaked,
      },
    };
  }

  /** The Linear incident: every fact from code, the prose from the model. */
  ticket(answer: LeakAssessment, leak: LeakedCredential): { title: string; description: string; priority: 'urgent' | 'high' | 'medium' | 'low' } {
    const response =
      leak.response === 'manual'
        ? `No automated response is configured for service \`${leak.service}\`: revoke and rotate it by hand, then resolve the alert.`
        : leak.response === 'auto'
          ? 'Revocation and rotation run automatically for this secret type; the alert is resolved as revoked when both are done.'
          : 'Revocation and rotation wait for an operator’s approval (admin API, /admin/actions); the alert is resolved as revoked when both are done.';
    return {
      title: `[${answer.severity}] Leaked ${leak.secretType} in ${leak.repository} (alert #${leak.alertNumber})`.slice(0, 255),
      priority: SEVERITY_PRIORITY[answer.severity],
      description: [
        '_Incident opened by Hookwise from a GitHub secret scanning alert; the assessment was written by an AI agent._',
        '',
        `- **Severity**: ${answer.severity}`,
        `- **Repository**: ${leak.repository}`,
        `- **Alert**: ${leak.alertUrl}`,
        `- **Secret type**: ${leak.secretType} (${leak.secretTypeName})`,
        `- **Service**: ${leak.service}`,
        `- **Fingerprint**: \`${leak.fingerprint}\``,
        '',
        '### Assessment',
        answer.summary,
        '',
        '### Response',
        response,
        '',
        '### Next steps',
        ...(answer.next_steps.length ? answer.next_steps.map((s) => `- ${s}`) : ['- None suggested.']),
      ].join('\n'),
    };
  }
}
