import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AdminRequest } from './admin-request.js';
import { AdminKeyVerifier } from './admin-key-verifier.js';

/** `Authorization: Bearer <ADMIN_API_KEYS entry>` or 401. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly verifier: AdminKeyVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const fingerprint = this.verifier.authenticate(request.headers);
    if (fingerprint === null) {
      context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="hookwise-admin"');
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'unauthorized',
        message: 'a valid admin API key is required: Authorization: Bearer <key>',
      });
    }
    request.adminKeyFingerprint = fingerprint;
    return true;
  }
}
