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
