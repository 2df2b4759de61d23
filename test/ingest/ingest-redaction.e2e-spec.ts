import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedgerWriter, type NewDelivery } from '../../src/core/events/ledger-writer.js';
import type { WebhookProviderDefinition } from '../../src/core/ingest/webhook-provider-definition.js';
import { eventSettled } from '../support/event-settled.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { SyntheticWebhookProvider } from '../support/synthetic-provider/synthetic-webhook.provider.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';

const SECRET_VALUE = 'value-that-must-never-be-stored-7f3a';

/**
 * WebhookProviderDefinition.redact: applied by the ingest before the ledger write, after describe()
 * read the payload as received; a provider without it has its delivery handed to the ledger as the
 * very text that was received (no parse-and-serialise on the hot path).
 */
describe('ingest-time redaction (WebhookProviderDefinition.redact)', () => {
  let t: TestApp;
  let definition: WebhookProviderDefinition;
  let written: NewDelivery[];

  beforeAll(async () => {
    t = await startTestApp({});
    definition = t.app.get(SyntheticWebhookProvider, { strict: false });
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await resetLedger(t.prisma);
    written = [];
    const writer = t.app.get(LedgerWriter, { strict: false });
    const record = writer.record.bind(writer);
    // Observed, not replaced: every delivery still goes to the real ledger.
    vi.spyOn(writer, 'record').mockImplementation((delivery) => {
      written.push(delivery);
      return record(delivery);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete definition.redact;
  });

  it('without the hook, the ledger gets the received text itself', async () => {
    // Spacing and key order of its own: any re-serialisation would show.
    const body = `{ "subject" : "acme/widgets",\n  "type": "thing.created", "n": 1.50, "secret": "${SECRET_VALUE}" }`;
    const answer = await postSynthetic(t.url, syntheticDelivery('thing.created', {}, { body }));
    expect(answer.status).toBe(202);
    expect(written.map((d) => d.payloadJson)).toEqual([body]);
    expect(definition.redact).toBeUndefined();
  });

  it('with the hook: what it returns is stored, id, type and subject come from the payload as received, and a redelivery is a duplicate', async () => {
    const seen: unknown[] = [];
    definition.redact = (payload) => {
      seen.push(payload);
      const { secret, ...rest } = payload as { secret?: string };
      return secret === undefined ? null : { payload: { ...rest, type: 'overwritten-by-redaction', subject: null, secret: '[redacted]' } };
    };
    const delivery = syntheticDelivery('thing.created', { subject: 'acme/secrets', secret: SECRET_VALUE });
    const answer = await postSynthetic(t.url, delivery);
    expect(answer.status).toBe(202);
    expect(seen).toEqual([JSON.parse(delivery.body)]);

    const row = await eventSettled(t.prisma, answer.body!.id as string);
    expect(row).toMatchObject({ deliveryId: delivery.deliveryId, eventType: 'thing.created', subject: 'acme/secrets', status: 'SUCCEEDED' });
    expect(row.payload).toEqual({ type: 'overwritten-by-redaction', subject: null, secret: '[redacted]' });
    expect(written.map((d) => d.payloadJson).join('\n')).not.toContain(SECRET_VALUE);
    const stored = await t.prisma.$queryRawUnsafe<Array<{ row: string }>>('SELECT t::text AS row FROM webhook_events t');
    expect(stored.map((r) => r.row).join('\n')).not.toContain(SECRET_VALUE);

    expect(await postSynthetic(t.url, delivery)).toMatchObject({ status: 200, body: { id: row.id, status: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count()).toBe(1);

    // Nothing to redact (null): stored as received.
    const plain = syntheticDelivery('thing.created', { note: 'nothing secret' });
    expect((await postSynthetic(t.url, plain)).status).toBe(202);
    expect(written.at(-1)!.payloadJson).toBe(plain.body);
  });

  it('a payload the hook cannot walk (nested past the stack) is refused 400 and stored nowhere', async () => {
    definition.redact = function walk(payload: unknown): { payload: unknown } | null {
      // A naive recursive walk, as a provider might write one.
      if (payload && typeof payload === 'object') for (const inner of Object.values(payload)) walk(inner);
      return null;
    };
    const depth = 20_000;
    const body = `{"type":"thing.created","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const answer = await postSynthetic(t.url, syntheticDelivery('thing.created', {}, { body }));
    expect(answer).toMatchObject({ status: 400, body: { error: 'unstorable_payload', message: expect.stringContaining('it nests too deeply') } });
    // Refused before the ledger was asked: the payload the hook could not check went nowhere.
    expect(written).toEqual([]);
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
