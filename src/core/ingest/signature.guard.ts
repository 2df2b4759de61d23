import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { rawBodyOf } from './raw-body.js';
import { assertReadableBody } from './readable-body.js';
import { attachVerifiedDelivery } from './verified-delivery.js';
import { WEBHOOK_PROVIDER_KEY } from './webhook-provider-key.js';
import { WebhookProviderRegistry } from './webhook-provider.registry.js';

/**
 * Verifies the signature of a webhook delivery with its provider's verifier, over the exact bytes
 * received. Fails closed: an unconfigured provider is 503 (the provider retries later), a missing,
 * wrong or stale signature 401 with a reason code. Bytes no provider sends (compressed, empty, not
 * UTF-8) are refused before that, with 415 or 400 (see assertReadableBody). Nothing is stored for a
 * refused delivery. A delivery that passes is handed on as a VerifiedDelivery (`@Verified()`).
 */
@Injectable()
export class SignatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly providers: WebhookProviderRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<string>(WEBHOOK_PROVIDER_KEY, context.getHandler());
    const provider = this.providers.get(name);
    if (!provider.verifier.isConfigured()) {
      throw new ServiceUnavailableException({
        error: 'provider_not_configured',
        message: `${name} webhooks are not configured on this server`,
      });
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const rawBody = rawBodyOf(request);
    assertReadableBody(rawBody, request.headers);
    const result = await provider.verifier.verify(rawBody, request.headers);
    if (!result.valid) throw new UnauthorizedException({ error: result.reason, message: result.message });
    attachVerifiedDelivery(request, { provider, rawBody, headers: request.headers, rawHeaders: request.raw.rawHeaders, requestId: String(request.id) });
    return true;
  }
}
