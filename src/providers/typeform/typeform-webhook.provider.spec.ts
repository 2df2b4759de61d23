import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadConfig, settingsOf } from '../../config/load-config.js';
import { answersByRef, readLead } from './typeform-answers.js';
import { TypeformWebhookProvider } from './typeform-webhook.provider.js';
import type { TypeformFormResponse } from './typeform-payload.schema.js';
import { TypeformConfig } from './typeform.config.js';
import { formResponse, typeformSignature } from './testing/typeform-deliveries.js';

const require = createRequire(import.meta.url);
const vectors = require('./fixtures/signature-vectors.json') as { valid: { secret: string; payload: string; signature: string }[] };

const provider = (env: Record<string, string> = {}) => new TypeformWebhookProvider(settingsOf(loadConfig(env, [TypeformConfig]), TypeformConfig));
const signed = (signature?: string) => (signature === undefined ? {} : { 'typeform-signature': signature });

describe('Typeform-Signature (HmacSignatureVerifier, base64, sha256=)', () => {
  it.each(vectors.valid)('accepts the reference vector signed with "$secret"', async ({ secret, payload, signature }) => {
    await expect(provider({ TYPEFORM_WEBHOOK_SECRET: secret }).verifier.verify(Buffer.from(payload), signed(signature))).resolves.toEqual({ valid: true });
  });

  it('accepts any secret of the list, refuses a hex digest, a wrong secret, a tampered body and a missing header', async () => {
    const { secret, payload, signature } = vectors.valid[0];
    const verifier = provider({ TYPEFORM_WEBHOOK_SECRET: `new-secret, ${secret}` }).verifier;
    await expect(verifier.verify(Buffer.from(payload), signed(signature))).resolves.toEqual({ valid: true });

    const hex = `sha256=${Buffer.from(signature.slice(7), 'base64').toString('hex')}`;
    await expect(verifier.verify(Buffer.from(payload), signed(hex))).resolves.toMatchObject({ valid: false, reason: 'signature_mismatch' });
    await expect(verifier.verify(Buffer.from(payload), signed(typeformSignature(payload, 'other')))).resolves.toMatchObject({ valid: false, reason: 'signature_mismatch' });
    await expect(verifier.verify(Buffer.from(payload.replace('lT4Z3j', 'lT4Z3J')), signed(signature))).resolves.toMatchObject({ valid: false, reason: 'signature_mismatch' });
    await expect(verifier.verify(Buffer.from(payload), signed(signature.slice(7)))).resolves.toMatchObject({ valid: false, reason: 'signature_mismatch' });
    await expect(verifier.verify(Buffer.from(payload), signed())).resolves.toMatchObject({ valid: false, reason: 'missing_signature' });
    expect(provider().verifier.isConfigured()).toBe(false);
  });
});

describe('reading a form response', () => {
  it('describes a delivery: event_id, event_type, the e-mail as subject', () => {
    const payload = formResponse({ email: 'Dana@Acme.example', company: 'Acme' }, { eventId: '01EVT', token: 'tok' });
    expect(provider().describe(payload)).toEqual({ deliveryId: '01EVT', eventType: 'form_response', subject: 'dana@acme.example', ignoreReason: undefined });
  });

  it('ignores a response without a (valid) e-mail, and refuses a payload without event_id', () => {
    expect(provider().describe(formResponse({ company: 'Acme' }))).toMatchObject({ subject: null, ignoreReason: expect.stringContaining('without an e-mail') });
    expect(provider().describe(formResponse({ email: 'not-an-email' }))).toMatchObject({ subject: null, ignoreReason: expect.stringContaining('ref "email"') });
    expect(() => provider().describe({ event_type: 'form_response', form_response: {} })).toThrow(/event_id/);
    expect(() => provider().describe([])).toThrow();
  });

  it('reads every answer type by ref, and hidden fields', () => {
    const response = formResponse({ email: 'a@b.example', company: 'Acme', website: 'https://acme.example', useCase: 'Lead routing', budget: 24000 }).form_response as unknown as TypeformFormResponse;
    response.answers!.push(
      { type: 'choice', choice: { other: 'Something else' }, field: { id: 'x1', type: 'multiple_choice', ref: 'other_choice' } },
      { type: 'choices', choices: { labels: ['A'], other: 'B' }, field: { id: 'x2', type: 'multiple_choice', ref: 'mixed' } },
      { type: 'file_url', file_url: 'https://files.example/cv.pdf', field: { id: 'x3', type: 'file_upload', ref: 'cv' } },
      { type: 'text', text: 'by id', field: { id: 'noref', type: 'short_text' } },
    );
    expect(answersByRef(response)).toEqual({
      utm_source: 'linkedin',
      user_id: 'abc123456',
      company: 'Acme',
      email: 'a@b.example',
      website: 'https://acme.example',
      use_case: 'Lead routing',
      budget: 24000,
      team_size: '51-200',
      providers: ['Stripe', 'GitHub'],
      newsletter: true,
      phone: '+14155550123',
      start_date: '2027-01-15',
      other_choice: 'Something else',
      mixed: ['A', 'B'],
      cv: 'https://files.example/cv.pdf',
      noref: 'by id',
    });
  });

  it('maps fields through configurable refs, hidden fields included', () => {
    const response = formResponse({ company: 'Acme' }).form_response as unknown as TypeformFormResponse;
    response.hidden = { ...response.hidden, work_email: 'lead@acme.example', amount: '5000' };
    const config = settingsOf(loadConfig({ TYPEFORM_EMAIL_REF: 'work_email', TYPEFORM_USE_CASE_REF: 'providers', TYPEFORM_BUDGET_REF: 'amount' }, [TypeformConfig]), TypeformConfig);
    expect(readLead(response, config)).toMatchObject({ email: 'lead@acme.example', company: 'Acme', useCase: 'Stripe, GitHub', budget: 5000, website: undefined });
  });
});
