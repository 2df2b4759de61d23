import { BadRequestException } from '@nestjs/common';

/** A delivery with a valid signature that we still cannot accept (bad JSON, missing headers or fields). */
export class InvalidDeliveryError extends BadRequestException {
  constructor(code: string, message: string) {
    super({ error: code, message });
  }
}
