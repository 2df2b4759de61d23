import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookProviderDefinition } from './webhook-provider-definition.js';

/**
 * A delivery whose signature SignatureGuard checked over its exact bytes: what IngestService
 * records. It carries no HTTP framework type; the provider was looked up and the body read once.
 */
export interface VerifiedDelivery {
  readonly provider: WebhookProviderDefinition;
  /** Non-empty UTF-8, uncompressed (assertReadableBody). */
  readonly rawBody: Buffer;
  readonly headers: IncomingHttpHeaders;
  /** Header names and values as received, in order: Node joins repeated headers in `headers`. */
  readonly rawHeaders: readonly string[];
  /** The request's id (a UUIDv7, see bootstrap.ts), which becomes the ledger id. */
  readonly requestId: string;
}

const verified = new WeakMap<object, VerifiedDelivery>();

/** Called by SignatureGuard once the signature holds. */
export function attachVerifiedDelivery(request: object, delivery: VerifiedDelivery): void {
  verified.set(request, delivery);
}

/** The route parameter holding the request's VerifiedDelivery; only routes behind SignatureGuard have one. */
export const Verified = createParamDecorator((_data: unknown, context: ExecutionContext): VerifiedDelivery => {
  const delivery = verified.get(context.switchToHttp().getRequest());
  if (!delivery) throw new Error('no verified delivery on this request: the route must be guarded by SignatureGuard (@WebhookProvider)');
  return delivery;
});
