import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminRequest } from './admin-request.js';

/** The fingerprint of the admin key that made the request (set by AdminAuthGuard). */
export const AdminKey = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AdminRequest>().adminKeyFingerprint ?? 'unknown';
});
