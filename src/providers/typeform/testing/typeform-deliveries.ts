import { createHmac, randomBytes } from 'node:crypto';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

export const TEST_TYPEFORM_SECRET = 'test-typeform-secret-do-not-log';

/**
 * Signs as Typeform does (typeform.com/developers/webhooks/secure-your-webhooks): HMAC-SHA256 of
 * the raw body with the secret, base64, prefixed `sha256=`. Typeform publishes no signing library.
 */
export function typeformSignature(body: string, secret = TEST_TYPEFORM_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

export interface LeadAnswers {
  email?: string;
  company?: string;
  website?: string;
  useCase?: string;
  budget?: number;
}

/**
 * A `form_response` payload shaped like Typeform's example (typeform.com/developers/webhooks/example-payload):
 * definition, answers of every type, hidden fields, calculated score, variables, ending.
 */
export function formResponse(lead: LeadAnswers = {}, ids: { eventId?: string; token?: string } = {}) {
  const field = (id: string, type: string, ref: string) => ({ id, type, ref });
  const answers: Array<Record<string, unknown>> = [];
  if (lead.company !== undefined) answers.push({ type: 'text', text: lead.company, field: field('JwWggjAKtOkA', 'short_text', 'company') });
  if (lead.email !== undefined) answers.push({ type: 'email', email: lead.email, field: field('SMEUb7VJz92Q', 'email', 'email') });
  if (lead.website !== undefined) answers.push({ type: 'url', url: lead.website, field: field('pn48RmPazVdM', 'website', 'website') });
  if (lead.useCase !== undefined) answers.push({ type: 'text', text: lead.useCase, field: field('Q7M2XAwY04dW', 'long_text', 'use_case') });
  if (lead.budget !== undefined) answers.push({ type: 'number', number: lead.budget, field: field('NRsxU591jIW9', 'number', 'budget') });
  answers.push(
    { type: 'choice', choice: { id: 'k9ABbK2mfbE4', label: '51-200', ref: 'size_51_200' }, field: field('k6TP9oLGgHjl', 'multiple_choice', 'team_size') },
    { type: 'choices', choices: { ids: ['eXnU3oA141Cg', 'aTZmZGYV6liX'], labels: ['Stripe', 'GitHub'], refs: ['stripe', 'github'] }, field: field('PNe8ZKBK8C2Q', 'multiple_choice', 'providers') },
    { type: 'boolean', boolean: true, field: field('gFFf3xAkJKsr', 'yes_no', 'newsletter') },
    { type: 'phone_number', phone_number: '+14155550123', field: field('RUqkXSeXBXSd', 'phone_number', 'phone') },
    { type: 'date', date: '2027-01-15', field: field('fFYWAzyUfLxH', 'date', 'start_date') },
  );
  return {
    event_id: ids.eventId ?? `01${randomBytes(12).toString('hex').toUpperCase()}`,
    event_type: 'form_response',
    form_response: {
      form_id: 'lT4Z3j',
      token: ids.token ?? randomBytes(16).toString('hex'),
      landed_at: '2026-12-07T15:20:01Z',
      submitted_at: '2026-12-07T15:22:37Z',
      calculated: { score: 9 },
      variables: [
        { key: 'score', type: 'number', number: 4 },
        { key: 'name', type: 'text', text: 'typeform' },
      ],
      hidden: { utm_source: 'linkedin', user_id: 'abc123456' },
      definition: {
        id: 'lT4Z3j',
        title: 'Talk to sales',
        fields: answers.map((a) => ({ ...(a.field as object), title: `Question ${(a.field as { ref: string }).ref}`, properties: {} })),
        endings: [{ id: 'dN5FLyFpCMFo', ref: 'thanks', title: 'Thanks!', type: 'thankyou_screen' }],
      },
      answers,
      ending: { id: 'dN5FLyFpCMFo', ref: 'thanks' },
    },
  };
}

export interface TypeformDelivery {
  body: string;
  headers: Record<string, string>;
}

/** A delivery as Typeform sends it: compact JSON, signed. */
export function typeformDelivery(payload: unknown, options: { secret?: string; body?: string } = {}): TypeformDelivery {
  const body = options.body ?? JSON.stringify(payload);
  return {
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'Typeform Webhooks', 'typeform-signature': typeformSignature(body, options.secret) },
  };
}

/** POSTs a delivery to /webhooks/typeform and returns the status and parsed body. */
export function postTypeform(baseUrl: string, delivery: TypeformDelivery): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/typeform', delivery);
}
