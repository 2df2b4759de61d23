import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from '../../config/env.schema.js';
import { secretList } from '../../config/load-config.js';
import { InvalidDeliveryError } from '../../core/ingest/invalid-delivery.error.js';
import type { DeliveryDescription, WebhookProviderDefinition } from '../../core/ingest/webhook-provider-definition.js';
import { WebhookProviderRegistry } from '../../core/ingest/webhook-provider.registry.js';
import { GithubSignatureVerifier } from '../../core/verifiers/github-signature.verifier.js';
import { GithubPayloadDto, GithubPullRequestPayloadDto } from './dto/github-payload.dto.js';

export const GITHUB = 'github';

/** GitHub repository and organisation webhooks (X-Hub-Signature-256, X-GitHub-Delivery, X-GitHub-Event). */
@Injectable()
export class GithubWebhookProvider implements WebhookProviderDefinition, OnModuleInit {
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
  readonly verifier: GithubSignatureVerifier;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly registry: WebhookProviderRegistry,
  ) {
    this.verifier = new GithubSignatureVerifier(secretList(config.GITHUB_WEBHOOK_SECRET));
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** Hooks created with content type `application/x-www-form-urlencoded` post the JSON in a `payload` field. */
  extractJson(rawBody: Buffer, contentType: string | undefined): string {
    const text = rawBody.toString('utf8');
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return text;
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new InvalidDeliveryError('invalid_payload', 'form-encoded delivery has no payload field');
    return payload;
  }

  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription {
    const event = singleHeader(headers, 'x-github-event');
    const deliveryId = singleHeader(headers, 'x-github-delivery');
    if (!event) throw new InvalidDeliveryError('missing_event_type', 'the X-GitHub-Event header is missing');
    if (!deliveryId) throw new InvalidDeliveryError('missing_delivery_id', 'the X-GitHub-Delivery header is missing');
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidDeliveryError('invalid_payload', 'a GitHub payload must be a JSON object');
    }

    const dto = validated(event === 'pull_request' ? GithubPullRequestPayloadDto : GithubPayloadDto, declaredFields(payload, DECLARED) as object);
    return {
      deliveryId,
      eventType: dto.action ? `${event}.${dto.action}` : event,
      subject: dto.repository?.full_name ?? dto.organization?.login ?? null,
      ignoreReason: event === 'ping' ? 'ping: GitHub checking that the hook is reachable' : undefined,
    };
  }
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

type FieldShape = { [key: string]: true | FieldShape };

/** Every field the payload DTOs declare: validation looks at nothing else. */
const DECLARED: FieldShape = {
  action: true,
  repository: { full_name: true },
  sender: { login: true },
  organization: { login: true },
  pull_request: { number: true, head: { sha: true } },
};

/**
 * The payload reduced to the fields the DTOs declare. class-transformer copies every property of
 * what it is given, and GitHub payloads run to tens of kilobytes: copying only what is validated
 * keeps the hot path cheap. Absent fields stay absent and non-objects pass through as they are,
 * so validation (and its messages) is unchanged.
 */
function declaredFields(value: unknown, shape: FieldShape): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const picked: Record<string, unknown> = {};
  for (const key in shape) {
    if (!Object.hasOwn(value, key)) continue;
    const field = (value as Record<string, unknown>)[key];
    const inner = shape[key];
    picked[key] = inner === true ? field : declaredFields(field, inner);
  }
  return picked;
}

function validated<T extends object>(type: new () => T, payload: object): T {
  const dto = plainToInstance(type, payload);
  const errors = validateSync(dto, { forbidUnknownValues: false });
  if (errors.length > 0) throw new InvalidDeliveryError('invalid_payload', errors.flatMap((e) => messages(e)).join('; '));
  return dto;
}

function messages(error: ValidationError, path = ''): string[] {
  const here = path ? `${path}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(here) ? m : `${here}: ${m}`));
  return [...own, ...(error.children ?? []).flatMap((child) => messages(child, here))];
}
