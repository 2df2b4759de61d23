import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { secretList } from '../../config/load-config.js';
import {
  type DeliveryDescription,
  type HandshakeReply,
  InvalidDeliveryError,
  TimestampedHmacVerifier,
  WebhookProviderDefinition,
} from '../../core/index.js';
import { slackEnvelopeSchema, type SlackEnvelope } from './slack-payload.schema.js';
import { slackIgnoreReason } from './slack-ignore-reason.js';
import { SlackTodoKeywords } from './slack-todo-keywords.js';
import { SlackConfig } from './slack.config.js';

export const SLACK = 'slack';

/** Slack's own tolerance: a request more than five minutes from now, either way, may be a replay. */
const TOLERANCE_SECONDS = 300;

/** The Slack Events API (X-Slack-Signature over `v0:<timestamp>:<body>`, X-Slack-Request-Timestamp, event_id). */
@Injectable()
@WebhookProviderDefinition()
export class SlackWebhookProvider implements WebhookProviderDefinition {
  readonly name = SLACK;
  readonly secretVariable = 'SLACK_SIGNING_SECRET';
  /** The retry headers stay on the event: a retry of a known event_id is answered as a duplicate, the first attempt's kept. */
  readonly storedHeaders = ['x-slack-retry-num', 'x-slack-retry-reason', 'user-agent', 'content-type'] as const;
  readonly verifier: TimestampedHmacVerifier;
  private readonly keywords: SlackTodoKeywords;

  constructor(@Inject(SlackConfig) config: SlackConfig) {
    this.verifier = slackVerifier(secretList(config.SLACK_SIGNING_SECRET));
    this.keywords = new SlackTodoKeywords(config.SLACK_TODO_KEYWORDS);
  }

  /** `url_verification` gets its challenge back and `ssl_check` a 200, once verified; neither is recorded. */
  handshake(rawBody: Buffer, headers: IncomingHttpHeaders): HandshakeReply | null {
    const contentType = String(headers['content-type'] ?? '');
    if (contentType.startsWith('application/x-www-form-urlencoded') && new URLSearchParams(rawBody.toString('utf8')).get('ssl_check') === '1') {
      return { contentType: 'text/plain; charset=utf-8', body: '' };
    }
    // Cheap test first: every other delivery is an event, and is parsed once, later.
    if (!rawBody.includes('"url_verification"')) return null;
    let body: { type?: unknown; challenge?: unknown };
    try {
      body = JSON.parse(rawBody.toString('utf8')) as typeof body;
    } catch {
      return null;
    }
    if (body?.type !== 'url_verification') return null;
    if (typeof body.challenge !== 'string' || body.challenge === '' || body.challenge.length > 1000) {
      throw new InvalidDeliveryError('invalid_payload', 'url_verification without a challenge');
    }
    return { contentType: 'text/plain; charset=utf-8', body: body.challenge };
  }

  describe(payload: unknown): DeliveryDescription {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidDeliveryError('invalid_payload', 'a Slack payload must be a JSON object');
    }
    const parsed = slackEnvelopeSchema.safeParse(payload);
    if (!parsed.success) {
      throw new InvalidDeliveryError('invalid_payload', parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
    }
    const envelope: SlackEnvelope = parsed.data;
    if (envelope.type === 'event_callback') {
      if (!envelope.event_id) throw new InvalidDeliveryError('missing_delivery_id', 'an event_callback without event_id');
      if (!envelope.event) throw new InvalidDeliveryError('invalid_payload', 'an event_callback without event');
      const { event } = envelope;
      return {
        deliveryId: envelope.event_id,
        eventType: event.subtype ? `${event.type}.${event.subtype}` : event.type,
        subject: event.channel ?? event.item?.channel ?? null,
        ignoreReason: slackIgnoreReason(envelope, this.keywords) ?? undefined,
      };
    }
    if (envelope.type === 'app_rate_limited') {
      const minute = (payload as { minute_rate_limited?: unknown }).minute_rate_limited;
      return {
        deliveryId: `app_rate_limited:${envelope.team_id ?? 'unknown'}:${String(minute ?? 'unknown')}`,
        eventType: 'app_rate_limited',
        subject: null,
        ignoreReason: 'app_rate_limited: Slack dropped events above its rate limit for this minute',
      };
    }
    throw new InvalidDeliveryError('invalid_payload', `unsupported Slack envelope type ${envelope.type}`);
  }
}

/** Slack's scheme on the core's timestamped HMAC: `v0=` hex of HMAC-SHA256(`v0:<ts>:<raw body>`), ±5 minutes. */
export function slackVerifier(secrets: readonly string[], now?: () => number): TimestampedHmacVerifier {
  return new TimestampedHmacVerifier(secrets, {
    signatureHeader: 'x-slack-signature',
    timestampHeader: 'x-slack-request-timestamp',
    scheme: 'v0',
    signedContent: '{scheme}:{timestamp}:{body}',
    toleranceSeconds: TOLERANCE_SECONDS,
    now,
  });
}
