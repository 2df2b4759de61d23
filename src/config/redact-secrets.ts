import type { SettingsClass } from './setting.decorator.js';
import { secretVariables } from './settings-reference.js';

const REDACTED = '[redacted]';

/**
 * Replaces the value of every secret setting (each entry of a comma-separated list, and the password
 * of a URL) in text that leaves the process outside the logger's redaction: the message of an error
 * that stopped the start, which may quote a URL or a token a library was given. The secret settings
 * are the fields flagged `@Setting({ secret: true })` in the given settings classes (main passes them all).
 */
export function redactSecrets(text: string, classes: readonly SettingsClass[], env: Record<string, string | undefined> = process.env): string {
  const values = secretVariables(classes)
    .flatMap((key) => secretValues(env[key]))
    // Longest first, so that a value containing another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return values.reduce((redacted, value) => redacted.replaceAll(value, REDACTED), text);
}

function secretValues(setting: string | undefined): string[] {
  const entries = (setting ?? '').split(',').map((entry) => entry.trim());
  const passwords = entries.flatMap((entry) => {
    const password = URL.canParse(entry) ? new URL(entry).password : '';
    return password ? [password, decodeURIComponent(password)] : [];
  });
  // Short values ("x", "1") would redact ordinary words; no real secret is that short.
  return [...entries, ...passwords].filter((value) => value.length >= 6);
}
