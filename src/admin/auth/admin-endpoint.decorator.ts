import { applyDecorators, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { adminValidationPipe } from '../common/admin-validation.pipe.js';
import { AdminAuthGuard } from './admin-auth.guard.js';

/** Everything an admin controller shares: throttling (before auth, so guessing keys is throttled too), bearer auth, strict validation. */
export function AdminEndpoint(): ClassDecorator {
  return applyDecorators(
    UseGuards(ThrottlerGuard, AdminAuthGuard),
    UsePipes(adminValidationPipe()),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or wrong admin API key (or none configured).' }),
    ApiTooManyRequestsResponse({ description: 'Throttled: ADMIN_THROTTLE_LIMIT requests per ADMIN_THROTTLE_TTL_MS.' }),
  );
}
