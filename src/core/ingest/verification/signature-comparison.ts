import { createHmac, timingSafeEqual } from 'node:crypto';

export type DigestEncoding = 'hex' | 'base64';

/** HMAC of `content` under each secret, compared in constant time with `presented` (already stripped of any prefix). */
export function matchesAnySecret(
  secrets: readonly string[],
  content: Buffer | string,
  presented: string,
  encoding: DigestEncoding,
  algorithm = 'sha256',
): boolean {
  const given = decodeDigest(presented, encoding);
  if (!given) return false;
  let matched = false;
  // Every secret is tried (no early exit), so timing says nothing about which secret matched.
  for (const secret of secrets) {
    const expected = createHmac(algorithm, secret).update(content).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}

/** The digest's bytes, or null when the text is not a well-formed digest in that encoding. */
function decodeDigest(text: string, encoding: DigestEncoding): Buffer | null {
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : null;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : null;
}

/** A header's single value, or undefined when absent, empty or repeated (Node joins repeats into an array only for some headers). */
export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
