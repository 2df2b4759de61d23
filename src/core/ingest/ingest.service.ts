import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { uuidv7 } from '../http/uuid-v7.js';
import { ThrottledReport } from '../logging/throttled-report.js';
import { deliveryJson } from './delivery-json.js';
import { InvalidDeliveryError } from './invalid-delivery.error.js';
import { JobDispatcher } from './job-dispatcher.js';
import { LedgerWriter } from '../events/ledger-writer.js';
import { UnstorablePayloadError } from '../events/unstorable-payload.error.js';
import type { VerifiedDelivery } from './verified-delivery.js';
import type { DeliveryDescription, HandshakeReply, RedactedPayload, WebhookProviderDefinition } from './webhook-provider-definition.js';

export interface IngestResponse {
  id: string;
  status: 'accepted' | 'duplicate';
}

export type IngestResult =
  | { statusCode: 200 | 202; body: IngestResponse; handshake?: undefined }
  /** The provider's handshake (see WebhookProviderDefinition.handshake): sent as is, nothing recorded. */
  | { handshake: HandshakeReply };

/**
 * Turns a verified delivery into a committed ledger row and answers for it: 202 for a new delivery,
 * 200 for a repeat (its count goes up). The row is committed before the answer; the enqueue
 * follows off the response path.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  /** While the database is down every delivery fails the same way: one line per 5 s, with a count. */
  private readonly ledgerFailures = new ThrottledReport();

  constructor(
    private readonly writer: LedgerWriter,
    private readonly dispatcher: JobDispatcher,
  ) {}

  async ingest(delivery: VerifiedDelivery): Promise<IngestResult> {
    const { provider, rawBody } = delivery;
    const repeated = repeatedHeader(delivery.rawHeaders, provider);
    if (repeated) throw new InvalidDeliveryError('duplicate_header', `the ${repeated} header appears more than once`);
    const handshake = provider.handshake?.(rawBody, delivery.headers);
    if (handshake) return { handshake };
    // The body is non-empty UTF-8 here: SignatureGuard refused anything else (assertReadableBody).
    const json = deliveryJson(provider, rawBody, delivery.headers['content-type']);
    const payload = parseJson(json);
    const description = provider.describe(payload, delivery.headers);
    assertIndexable(description);
    // Only a provider that redacts (WebhookProviderDefinition.redact), and only when it replaced something, serialises again.
    const redacted = provider.redact ? redactedPayload(provider, payload) : null;
    const payloadJson = redacted ? serialised(redacted.payload) : storableJson(json, payload);
    const headers = pickHeaders(delivery.headers, provider.storedHeaders);

    // The request id (a UUIDv7, see bootstrap.ts) becomes the ledger id: logs and ledger share one key.
    const id = isUuid(delivery.requestId) ? delivery.requestId : uuidv7();
    let recorded;
    try {
      recorded = await this.writer.record({
        id,
        provider: provider.name,
        deliveryId: description.deliveryId,
        eventType: description.eventType,
        subject: description.subject,
        status: description.ignoreReason ? 'IGNORED' : 'QUEUED',
        statusReason: description.ignoreReason ?? null,
        payloadJson,
        headers,
      });
    } catch (err) {
      // A delivery the ledger refuses for what it holds (see LedgerWriter) is the sender's 400, not our 503.
      if (err instanceof UnstorablePayloadError) throw unstorable(err);
      this.reportLedgerFailure(err as Error);
      throw new ServiceUnavailableException({ error: 'ledger_unavailable', message: 'the event ledger is unavailable; retry later' });
    }

    if (recorded.duplicate) return { statusCode: 200, body: { id: recorded.id, status: 'duplicate' } };
    if (!description.ignoreReason) this.dispatcher.dispatch({ id: recorded.id, provider: provider.name });
    return { statusCode: 202, body: { id: recorded.id, status: 'accepted' } };
  }

  private reportLedgerFailure(err: Error): void {
    this.ledgerFailures.occurred((others) => {
      const also = others > 0 ? ` (${others} more since the last report)` : '';
      this.logger.error(`ledger write failed, delivery refused with 503${also}: ${err.message}`);
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const headerSets = new WeakMap<WebhookProviderDefinition, Set<string>>();

/**
 * Node joins repeated headers with ", ", which would turn two delivery ids into one odd id: a
 * delivery that repeats a header the provider reads is refused instead.
 */
function repeatedHeader(rawHeaders: readonly string[], provider: WebhookProviderDefinition): string | null {
  let names = headerSets.get(provider);
  if (!names) headerSets.set(provider, (names = new Set(provider.storedHeaders.filter((h) => h !== 'user-agent'))));
  let seen: string[] | null = null;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!names.has(name)) continue;
    if (seen?.includes(name)) return name;
    (seen ??= []).push(name);
  }
  return null;
}

/**
 * The delivery id, event type and subject are indexed columns, and a PostgreSQL B-tree entry must fit
 * in about a third of a page (2,704 bytes): longer values would be refused by the ledger with an index
 * error. Bounds in UTF-8 bytes; no provider sends values anywhere near them.
 */
const MAX_BYTES = { deliveryId: 255, eventType: 255, subject: 1000 } as const;
const FIELD_NAMES = { deliveryId: 'delivery id', eventType: 'event type', subject: 'subject (repository, customer…)' } as const;

function assertIndexable(description: DeliveryDescription): void {
  for (const field of ['deliveryId', 'eventType', 'subject'] as const) {
    const bytes = description[field] ? Buffer.byteLength(description[field]) : 0;
    if (bytes > MAX_BYTES[field]) {
      throw new InvalidDeliveryError('field_too_long', `the ${FIELD_NAMES[field]} is ${bytes} bytes long (UTF-8); at most ${MAX_BYTES[field]} are accepted`);
    }
  }
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new InvalidDeliveryError('invalid_json', 'the request body is not valid JSON');
  }
}

/**
 * The payload is stored as received, but PostgreSQL's jsonb refuses two things JSON.parse accepts:
 * the NUL character and unpaired surrogates (`"\u0000"`, `"\ud800"`). Such a payload would fail
 * the whole batch it is written with, so it is stored re-serialised, U+FFFD in place of each.
 */
function storableJson(json: string, payload: unknown): string {
  if (!UNSTORABLE_ESCAPE.test(json)) return json;
  return serialised(payload);
}

/** The payload as stored JSON: NUL characters and unpaired surrogates replaced (see storableJson). */
function serialised(payload: unknown): string {
  try {
    return JSON.stringify(storable(payload));
  } catch (err) {
    // Nesting deeper than the stack: PostgreSQL would refuse such a document anyway.
    if (err instanceof RangeError) throw unstorable(new UnstorablePayloadError('it nests too deeply'));
    throw err;
  }
}

/** The provider's redaction; a payload too deeply nested to walk is the sender's 400, never stored as it came. */
function redactedPayload(provider: WebhookProviderDefinition, payload: unknown): RedactedPayload | null {
  try {
    return provider.redact!(payload);
  } catch (err) {
    if (err instanceof RangeError) throw unstorable(new UnstorablePayloadError('it nests too deeply'));
    throw err;
  }
}

/** A payload the ledger cannot store, as the sender's 400. */
function unstorable(err: UnstorablePayloadError): InvalidDeliveryError {
  return new InvalidDeliveryError('unstorable_payload', err.message);
}

// An escaped NUL or surrogate (a valid pair is re-serialised too, unchanged in meaning).
const UNSTORABLE_ESCAPE = /\\u(0000|[dD][89a-fA-F])/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storable(key), storable(inner)]));
  }
  return value;
}

function pickHeaders(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) picked[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}
