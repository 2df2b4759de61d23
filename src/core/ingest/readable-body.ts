import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidDeliveryError } from './invalid-delivery.error.js';
import { UnsupportedBodyFormatError } from './unsupported-body-format.error.js';

/**
 * Refuses bytes that cannot be a delivery before any signature is checked: providers send
 * uncompressed, non-empty UTF-8. Checked first so that such a request gets its real reason (a
 * compressed body would otherwise fail its signature as a forgery would) and so that verifiers see
 * text whose bytes are exactly the ones received.
 */
export function assertReadableBody(rawBody: Buffer, headers: IncomingHttpHeaders): void {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new UnsupportedBodyFormatError('unsupported_content_encoding', `Content-Encoding ${encoding} is not accepted: send the body uncompressed`);
  }
  if (rawBody.length === 0) throw new InvalidDeliveryError('empty_body', 'the request body is empty');
  if (!isUtf8(rawBody)) throw new InvalidDeliveryError('invalid_encoding', 'the request body is not valid UTF-8');
}
