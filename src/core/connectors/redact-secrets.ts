/**
 * Replaces every occurrence of the given secrets (and their URL-encoded forms, as they appear
 * inside connection URLs) with `[redacted]`. Blank and very short values are skipped: replacing
 * a one-letter "secret" would mangle the message without protecting anything.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('[redacted]');
  return out;
}
