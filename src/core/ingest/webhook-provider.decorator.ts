import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { SignatureGuard } from './signature.guard.js';
import { WEBHOOK_PROVIDER_KEY } from './webhook-provider-key.js';

/** Marks a route as the webhook endpoint of a provider: its deliveries are verified before the handler runs. */
export function WebhookProvider(name: string): MethodDecorator {
  return applyDecorators(SetMetadata(WEBHOOK_PROVIDER_KEY, name), UseGuards(SignatureGuard));
}
