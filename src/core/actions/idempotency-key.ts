import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal arguments always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** event + tool + sha256 of the canonical arguments: one side effect per key (see ActionService). */
export function actionIdempotencyKey(eventId: string, tool: string, args: unknown): string {
  const hash = createHash('sha256').update(canonicalJson(args)).digest('hex');
  return `${eventId}:${tool}:${hash}`;
}

/**
 * 32 hex digits standing for an idempotency key where the key itself cannot go (a marker in a
 * GitHub comment, one word of a HubSpot description): fixed length, no characters to escape.
 */
export function idempotencyKeyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  );
}
