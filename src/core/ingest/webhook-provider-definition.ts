import type { IncomingHttpHeaders } from 'node:http';
import { providerMarker } from '../discovery/discoverable-providers.js';
import type { WebhookVerifier } from './verification/webhook-verifier.js';

/** What the ledger needs to know about one delivery, read from its headers and payload. */
export interface DeliveryDescription {
  /** The provider's idempotency key: the same on every retry of the same delivery. */
  deliveryId: string;
  eventType: string;
  /** The entity the event is about (repository, customer, form...), for history look-ups. */
  subject: string | null;
  /** Set when the event needs no work (a ping): it is recorded IGNORED and not enqueued. */
  ignoreReason?: string;
}

/**
 * The answer to a handshake: a delivery that only checks the endpoint (Slack's `url_verification`
 * challenge, its `ssl_check`), answered as given and never recorded.
 */
export interface HandshakeReply {
  /** Defaults to 200. */
  statusCode?: number;
  contentType: string;
  body: string;
}

/**
 * Everything Hookwise needs to receive one provider's webhooks. A provider module implements it on
 * a provider marked `@WebhookProviderDefinition()`, which WebhookProviderRegistry finds at boot; its
 * endpoint is webhookController(name).
 */
export interface WebhookProviderDefinition {
  readonly name: string;
  readonly verifier: WebhookVerifier;
  /** Environment variable(s) that configure the secret, named in boot warnings. */
  readonly secretVariable: string;
  /** Delivery headers worth keeping in the ledger (lower-case). Never signature headers. */
  readonly storedHeaders: readonly string[];
  /**
   * For providers that may post `application/x-www-form-urlencoded`: the form field holding the JSON
   * (GitHub's `payload`). Unset: only JSON bodies are accepted.
   */
  readonly formPayloadField?: string;
  /**
   * For providers that check the endpoint with signed requests that are not events (Slack's
   * `url_verification`): called on a verified delivery before anything else, with its raw bytes;
   * a reply is sent as it is, and nothing is recorded or enqueued. Null: an ordinary delivery.
   */
  handshake?(rawBody: Buffer, headers: IncomingHttpHeaders): HandshakeReply | null;
  /** Reads the delivery id, type and subject; throws InvalidDeliveryError for a payload it cannot accept. */
  describe(payload: unknown, headers: IncomingHttpHeaders): DeliveryDescription;
  /**
   * For providers whose payloads may carry credentials: called on every verified delivery after
   * describe() (which reads the payload as received: delivery id, type and subject, so duplicates are
   * still recognised; it must not put a secret in them), before anything is written. Returns the
   * payload to keep instead, with what must not be kept replaced, or null when there is nothing to
   * redact (the delivery is then stored as received). The ledger, the queue, handlers, agents,
   * replays and the admin API only ever see what it returns; the received bytes are kept nowhere.
   * Providers without it pay nothing for it: no extra parse or serialisation.
   */
  redact?(payload: unknown): RedactedPayload | null;
}

/** What WebhookProviderDefinition.redact keeps of a payload in its place (JSON-serialisable). */
export interface RedactedPayload {
  readonly payload: unknown;
}

/** Marks a provider as a WebhookProviderDefinition, for WebhookProviderRegistry to register at boot. */
export const WebhookProviderDefinition = providerMarker<WebhookProviderDefinition>();
