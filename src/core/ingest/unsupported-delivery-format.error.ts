import { UnsupportedMediaTypeException } from '@nestjs/common';

/** A delivery in a form the provider never sends (compressed, or a content type it does not use): 415. */
export class UnsupportedDeliveryFormatError extends UnsupportedMediaTypeException {
  constructor(code: 'unsupported_content_encoding' | 'unsupported_content_type', message: string) {
    super({ error: code, message });
  }

  /** `accepted` says what the provider sends, e.g. "GitHub deliveries are application/json". */
  static contentType(contentType: string | undefined, accepted: string): UnsupportedDeliveryFormatError {
    const sent = contentType ? `Content-Type ${contentType} is not accepted` : 'the Content-Type header is missing';
    return new UnsupportedDeliveryFormatError('unsupported_content_type', `${sent}: ${accepted}`);
  }
}
