import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * Validates admin query strings and bodies against their DTOs: unknown parameters are refused and
 * every 400 names the offending parameters, e.g. `{ error: 'invalid_parameter', parameters: ['limit'], message: [...] }`.
 */
export function adminValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const flat = errors.flatMap((e) => flatten(e));
      return new BadRequestException({
        statusCode: 400,
        error: 'invalid_parameter',
        parameters: [...new Set(flat.map((f) => f.property))],
        // Several constraints of one parameter may share a message ("limit must be an integer from 1 to 500"): each is said once.
        message: [...new Set(flat.flatMap((f) => f.messages))],
      });
    },
  });
}

function flatten(error: ValidationError, path = ''): { property: string; messages: string[] }[] {
  const property = path ? `${path}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(error.property) ? m.replace(error.property, property) : `${property}: ${m}`));
  const mine = own.length > 0 ? [{ property, messages: own }] : [];
  return [...mine, ...(error.children ?? []).flatMap((c) => flatten(c, property))];
}
