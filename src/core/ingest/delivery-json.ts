import { isFormContentType, isJsonContentType } from './content-type.js';
import { InvalidDeliveryError } from './invalid-delivery.error.js';
import { UnsupportedBodyFormatError } from './unsupported-body-format.error.js';
import type { WebhookProviderDefinition } from './webhook-provider-definition.js';

/**
 * The JSON document of a verified delivery (non-empty UTF-8, see assertReadableBody): the body itself
 * when it is JSON, or the provider's form field (`formPayloadField`) when it is form-encoded and the
 * provider posts forms. Any other content type, or none, is 415.
 */
export function deliveryJson(provider: WebhookProviderDefinition, rawBody: Buffer, contentType: string | undefined): string {
  if (isJsonContentType(contentType)) return rawBody.toString('utf8');
  if (provider.formPayloadField && isFormContentType(contentType)) return formField(rawBody.toString('utf8'), provider.formPayloadField);
  const accepted = provider.formPayloadField ? 'application/json or application/x-www-form-urlencoded' : 'application/json';
  throw UnsupportedBodyFormatError.contentType(contentType, `${provider.name} deliveries are ${accepted}`);
}

/**
 * A field of a form body, decoded strictly: URLSearchParams would turn percent-encoded bytes that
 * are not UTF-8 into U+FFFD without a word, and the ledger would keep an altered payload.
 */
function formField(form: string, field: string): string {
  for (const pair of form.split('&')) {
    const separator = pair.indexOf('=');
    const name = separator === -1 ? pair : pair.slice(0, separator);
    if (formDecode(name) !== field) continue;
    return formDecode(separator === -1 ? '' : pair.slice(separator + 1));
  }
  throw new InvalidDeliveryError('invalid_payload', `form-encoded delivery has no ${field} field`);
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw new InvalidDeliveryError('invalid_encoding', 'the form-encoded payload is not valid percent-encoded UTF-8');
  }
}
