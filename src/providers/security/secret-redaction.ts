import type { RedactedPayload } from '../../core/index.js';

/** What a redacted value becomes. */
export const REDACTED = '[redacted]';

/**
 * Fields whose value is a credential by name, at any depth. GitHub's secret scanning webhook does not
 * carry the secret (the REST API's alert does, as `secret`), but a payload that ever does must not
 * keep it. Exact names only: `secret_type` and `secret_type_display_name` are what the agent reads.
 */
const SECRET_FIELDS = new Set(['secret', 'password', 'token', 'access_token', 'refresh_token', 'private_key', 'secret_key', 'client_secret', 'api_key']);

/**
 * Credential formats, wherever they appear in a string (a resolution comment, a bypass reason...):
 * the token formats GitHub's own secret scanning matches for the services responses exist for.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, // GitHub fine-grained tokens
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bxox[abposr]-[A-Za-z0-9-]{10,250}\b/g, // Slack tokens
  /\bxapp-\d-[A-Za-z0-9-]{10,250}\b/g, // Slack app-level tokens
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,247}\b/g, // Stripe secret and restricted keys
  /\bsk-ant-[A-Za-z0-9_-]{20,}/g, // Anthropic keys
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab tokens
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm tokens
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, // PEM private keys
];

/**
 * The payload with every credential replaced by `[redacted]`: values of SECRET_FIELDS, and any
 * substring (of a value or a key) in one of SECRET_PATTERNS. Null when there was nothing to replace,
 * so that an ordinary alert is stored exactly as GitHub sent it.
 */
export function redactSecretValues(payload: unknown): RedactedPayload | null {
  const found = { any: false };
  const redacted = walk(payload, found);
  return found.any ? { payload: redacted } : null;
}

function walk(value: unknown, found: { any: boolean }): unknown {
  if (typeof value === 'string') return redactText(value, found);
  if (Array.isArray(value)) return value.map((item) => walk(item, found));
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties: a `__proto__` key stays a key, as JSON.parse made it.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (SECRET_FIELDS.has(key.toLowerCase()) && inner !== null && inner !== '' && typeof inner !== 'boolean') {
        found.any = true;
        return [redactText(key, found), REDACTED];
      }
      return [redactText(key, found), walk(inner, found)];
    }),
  );
}

function redactText(text: string, found: { any: boolean }): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    pattern.lastIndex = 0;
    if (!pattern.test(out)) continue;
    found.any = true;
    out = out.replace(pattern, REDACTED);
  }
  return out;
}
