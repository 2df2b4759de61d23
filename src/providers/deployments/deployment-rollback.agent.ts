import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AgentDefinition } from '../../core/index.js';
import type { Deployment } from './deployment-payload.schema.js';

export const ROLLBACK_TOOL = 'rollback_deploy';

// Sent to the API as the output format; the descriptions are what the model reads about each field.
const assessment = z.strictObject({
  summary: z.string().min(1).max(1000).describe('Two or three sentences for the on-call engineer: what failed after the deployment and why a rollback is warranted. No numbers you were not given.'),
  suspected_cause: z.string().min(1).max(500).describe('The most likely cause given the evidence, or "unknown".'),
  confidence: z.enum(['low', 'medium', 'high']).describe('How sure you are that the deployment caused the failure.'),
});
export type RollbackAssessment = z.infer<typeof assessment>;

/** The evidence the watch gathered, from code: what the model summarises, and what Slack shows. */
export interface WatchEvidence {
  trigger: 'smoke_checks_failed' | 'error_rate_above_threshold';
  smokeChecks: Array<{ url: string; ok: boolean; status: number | null; detail: string }>;
  samples: Array<{ at: string; value: number | null }>;
  threshold: number;
}

/** The release watch's rollback agent: it summarises the evidence; code decides and acts. */
@Injectable()
export class DeploymentRollbackAgent {
  readonly definition: AgentDefinition<RollbackAssessment> = {
    name: 'deployment-rollback',
    system: [
      'You are an SRE assistant. A deployment failed its release checks and will be rolled back to its previous version.',
      'Summarise the evidence you are given for the on-call engineer: what failed, the likely cause, how confident you are.',
      'Do not invent measurements; quote only those in the evidence.',
    ].join('\n'),
    tools: [],
    // The rollback is requested by the watch's exactly-once step, never by the model itself.
    stepTools: [ROLLBACK_TOOL],
    answer: assessment,
  };

  task(deployment: Deployment, evidence: WatchEvidence): string {
    const why = evidence.trigger === 'smoke_checks_failed' ? 'its smoke checks failed' : `its error rate rose above ${evidence.threshold}`;
    return `Deployment ${deployment.deployment_id} of ${deployment.service} to ${deployment.environment} (version ${deployment.version}, previous ${deployment.previous_version}) is being rolled back because ${why}. The deployment and the evidence follow.`;
  }

  data(deployment: Deployment, evidence: WatchEvidence): Record<string, unknown> {
    return { deployment, evidence };
  }

  /** The rollback's reason, as sent to the endpoint: the model's summary, cut, with no mentions. */
  reason(answer: RollbackAssessment): string {
    return plain(`${answer.summary} Suspected cause: ${answer.suspected_cause} (confidence ${answer.confidence}).`).slice(0, 2000);
  }
}

/** Text from the model or a payload made harmless for Slack: no <!channel>, <@user> or links. */
export function plain(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}
