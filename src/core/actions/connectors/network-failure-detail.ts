/**
 * A one-line description of a failed request: fetch's own message ("fetch failed") says little, so
 * the underlying cause (ECONNREFUSED, ENOTFOUND, a TLS error...) is appended when there is one.
 */
export function networkFailureDetail(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'no answer in time';
  const cause = (err as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return why ? `${err.message} (${why})` : err.message;
}
