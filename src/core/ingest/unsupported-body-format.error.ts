import { UnsupportedMediaTypeException } from '@nestjs/common';

/** A body in a form the route does not take (compressed, or a content type it does not read): 415. */
export class UnsupportedBodyFormatError extends UnsupportedMediaTypeException {
  constructor(code: 'unsupported_content_encoding' | 'unsupported_content_type', message: string) {
    super({ error: code, message });
  }

  /** `accepted` says what the route takes, e.g. "github deliveries are application/json". */
  static contentType(contentType: string | undefined, accepted: string): UnsupportedBodyFormatError {
    const sent = contentType ? `Content-Type ${contentType} is not accepted` : 'the Content-Type header is missing';
    return new UnsupportedBodyFormatError('unsupported_content_type', `${sent}: ${accepted}`);
  }
}
