import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** Parses a UUID path parameter; a malformed one is a 400 naming the parameter. */
export function uuidParameter(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({ statusCode: 400, error: 'invalid_parameter', parameters: [name], message: [`${name} must be a UUID`] }),
  });
}
