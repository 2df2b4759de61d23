import { Transform } from 'class-transformer';
import { IsUrl } from 'class-validator';

/**
 * How settings classes parse environment strings (class-transformer) and the checks they share.
 * A value that does not parse is left as it is, so that its validator names the variable.
 */

/** `"42"` → 42. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** true/1/yes/on and false/0/no/off, any case. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds from `600`/`600s` (seconds), `10m`, `1h`, `1500ms`; `off` is 0. */
const toDurationMs = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'off') return 0;
  const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(v);
  return match ? Number(match[1]) * DURATION_UNITS[match[2] ?? 's'] : value;
};

const durations = new WeakMap<Function, Set<string>>();

/**
 * A duration held in milliseconds, written with a unit (`600s`, `10m`, `1h`, `1500ms`; a bare number
 * is seconds; `off` is 0). Validate it with `@IsInt()`. The reference writes its default with a unit.
 */
export function Duration(): PropertyDecorator {
  return (prototype, property) => {
    Transform(toDurationMs)(prototype, property);
    const fields = durations.get(prototype.constructor) ?? new Set<string>();
    fields.add(String(property));
    durations.set(prototype.constructor, fields);
  };
}

/** Whether a field of a settings class is a `@Duration()`. */
export function isDuration(settingsClass: Function, field: string): boolean {
  return durations.get(settingsClass)?.has(field) ?? false;
}

/** 600000 → 10m: the largest unit that divides it. */
export function durationWritten(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = DURATION_UNITS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };

const toByteSize = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const match = /^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(value);
  if (!match) return value;
  return Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()];
};

const byteSizes = new WeakMap<Function, Set<string>>();

/** A byte count, written as bytes or with a unit (5242880, 5mb, 25MiB). Validate it with `@IsInt()`. */
export function ByteSize(): PropertyDecorator {
  return (prototype, property) => {
    Transform(toByteSize)(prototype, property);
    const fields = byteSizes.get(prototype.constructor) ?? new Set<string>();
    fields.add(String(property));
    byteSizes.set(prototype.constructor, fields);
  };
}

/** Whether a field of a settings class is a `@ByteSize()` (the reference then writes sizes with units). */
export function isByteSize(settingsClass: Function, field: string): boolean {
  return byteSizes.get(settingsClass)?.has(field) ?? false;
}

/** A base URL of an API: http or https, with the scheme written out (`api.github.com` alone is refused). */
export function IsHttpUrl(): PropertyDecorator {
  return IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: '$property must be an http:// or https:// URL' });
}
