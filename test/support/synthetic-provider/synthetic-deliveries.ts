import { createHmac, randomUUID } from 'node:crypto';
import { SYNTHETIC_SECRET } from './synthetic-webhook.provider.js';
import { postDelivery, type EndpointAnswer } from '../post-delivery.js';

export interface SyntheticDelivery {
  body: string;
  headers: Record<string, string>;
  deliveryId: string;
}

/** Signs a synthetic delivery: compact JSON `{ type, subject, ...fields }`, HMAC-SHA256 hex of those bytes. */
export function syntheticDelivery(
  type: string,
  fields: Record<string, unknown> = {},
  options: { secret?: string; deliveryId?: string; body?: string } = {},
): SyntheticDelivery {
  const body = options.body ?? JSON.stringify({ type, subject: 'acme/widgets', ...fields });
  const deliveryId = options.deliveryId ?? randomUUID();
  return {
    body,
    deliveryId,
    headers: { 'content-type': 'application/json', 'user-agent': 'synthetic-sender/1.0', 'x-synthetic-delivery': deliveryId, 'x-synthetic-signature': syntheticSignature(body, options.secret) },
  };
}

/** The X-Synthetic-Signature value for these bytes: `sha256=` and the HMAC-SHA256 hex (the test secret unless another is given). */
export function syntheticSignature(body: string | Buffer, secret = SYNTHETIC_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A signed `thing.created` delivery whose body is exactly `bytes` long (padded). */
export function syntheticDeliveryOfSize(bytes: number, options: { secret?: string } = {}): SyntheticDelivery {
  const fields = { type: 'thing.created', subject: 'acme/widgets', padding: '' };
  const room = bytes - Buffer.byteLength(JSON.stringify(fields));
  if (room < 0) throw new Error(`a synthetic delivery is at least ${bytes - room} bytes long`);
  fields.padding = 'x'.repeat(room);
  return syntheticDelivery(fields.type, {}, { ...options, body: JSON.stringify(fields) });
}

/** POSTs a delivery to /webhooks/synthetic and returns the status, parsed body and response headers. */
export function postSynthetic(baseUrl: string, delivery: Pick<SyntheticDelivery, 'body' | 'headers'>): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/synthetic', delivery);
}
