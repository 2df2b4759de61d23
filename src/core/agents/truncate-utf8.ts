/** The first `maxBytes` bytes of `text` as UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean; bytes: number } {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return { text, truncated: false, bytes: buffer.length };
  let end = maxBytes;
  while (end > 0 && (buffer[end] & 0xc0) === 0x80) end--; // back up to the start of a character
  return { text: buffer.subarray(0, end).toString('utf8'), truncated: true, bytes: buffer.length };
}
