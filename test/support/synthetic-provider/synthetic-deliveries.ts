import { createHmac, randomUUID } from 'node:crypto';
import { SYNTHETIC_SECRET } from './synthetic-webhook.provider.js';

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
  const signature = createHmac('sha256', options.secret ?? SYNTHETIC_SECRET).update(body).digest('hex');
  return {
    body,
    deliveryId,
    headers: { 'content-type': 'application/json', 'user-agent': 'synthetic-sender/1.0', 'x-synthetic-delivery': deliveryId, 'x-synthetic-signature': `sha256=${signature}` },
  };
}

/** POSTs a delivery to /webhooks/synthetic and returns the status and parsed body. */
export async function postSynthetic(baseUrl: string, delivery: Pick<SyntheticDelivery, 'body' | 'headers'>) {
  const response = await fetch(`${baseUrl}/webhooks/synthetic`, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json, text };
}
