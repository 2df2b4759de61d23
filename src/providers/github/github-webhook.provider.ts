import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { secretList } from '../../config/load-config.js';
import { type DeliveryDescription, InvalidDeliveryError, WebhookProviderDefinition } from '../../core/index.js';
import { githubSelfCausedReason } from './github-self-caused.js';
import { GithubSignatureVerifier } from './github-signature.verifier.js';
import { GithubConfig } from './github.config.js';
import { githubPayloadSchema, githubPullRequestPayloadSchema, type GithubPayload } from './github-payload.schema.js';

export const GITHUB = 'github';

/** GitHub repository and organisation webhooks (X-Hub-Signature-256, X-GitHub-Delivery, X-GitHub-Event). */
@Injectable()
@WebhookProviderDefinition()
export class GithubWebhookProvider implements WebhookProviderDefinition {
  readonly name = GITHUB;
  readonly secretVariable = 'GITHUB_WEBHOOK_SECRET';
  readonly storedHeaders = [
    'x-github-event',
    'x-github-delivery',
    'x-github-hook-id',
    'x-github-hook-installation-target-type',
    'x-github-hook-installation-target-id',
    'x-github-enterprise-host',
    'user-agent',
    'content-type',
  ] as const;
  /** Hooks created with content type `application/x-www-form-urlencoded` post the JSON in this field. */
  readonly formPayloadField = 'payload';
  readonly verifier: GithubSignatureVerifier;

  constructor(@Inject(GithubConfig) config: GithubConfig) {
    this.verifier = new GithubSignatureVerifier(secretList(config.GITHUB_WEBHOOK_SECRET));
  }

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    const event = singleHeader(headers, 'x-github-event');
    const deliveryId = singleHeader(headers, 'x-github-delivery');
    if (!event) throw new InvalidDeliveryError('missing_event_type', 'the X-GitHub-Event header is missing');
    if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the X-GitHub-Delivery header is missing');
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidDeliveryError('invalid_payload', 'a GitHub payload must be a JSON object');
    }

    const fields = validated(event === 'pull_request' ? githubPullRequestPayloadSchema : githubPayloadSchema, payload);
    return {
      deliveryId,
      eventType: fields.action ? `${event}.${fields.action}` : event,
      subject: fields.repository?.full_name ?? fields.organization?.login ?? null,
      ignoreReason: event === 'ping' ? 'ping: GitHub checking that the hook is reachable' : (githubSelfCausedReason(event, payload) ?? undefined),
    };
  }
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function validated(schema: z.ZodType<GithubPayload>, payload: object): GithubPayload {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
  throw new InvalidDeliveryError('invalid_payload', problems.join('; '));
}
