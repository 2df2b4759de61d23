/**
 * Keys whose values are credentials wherever they appear in a provider payload or stored header
 * (`token`, `client_secret`, `api_key`, `password`, `authorization`, `private_key`, …).
 * GitHub's `*_url` fields and ids pass; `secret_scanning_alert` style names are kept because only
 * the exact words below, as whole segments of a key, match.
 */
const SECRET_KEY = /(^|[_\-.])(secret|secrets|token|tokens|password|passwd|authorization|api[_-]?key|apikey|private[_-]?key|credentials?|signature|cookie)($|[_\-.])/i;
const SECRET_KEY_CAMEL = /(secret|token|password|apiKey|privateKey|credential|signature)$/;

export const REDACTED = '[redacted]';

/** A deep copy of a JSON value with secret-looking fields replaced by "[redacted]". */
export function redactPayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPayload);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const secret = (SECRET_KEY.test(key) || SECRET_KEY_CAMEL.test(key)) && child !== null && typeof child !== 'object' && typeof child !== 'boolean';
    out[key] = secret ? REDACTED : redactPayload(child);
  }
  return out;
}
