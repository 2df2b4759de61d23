/**
 * A one-line description of a failed request: fetch's own message ("fetch failed") says little, so
 * the underlying cause (ECONNREFUSED, ENOTFOUND, a TLS error...) is appended when there is one. A
 * request aborted by its deadline (`AbortSignal.timeout`) says how long it waited, when told.
 */
export function networkFailureDetail(err: unknown, timeoutMs?: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return timeoutMs === undefined ? 'no answer in time' : `no answer within ${timeoutMs} ms`;
  const cause = (err as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return why ? `${err.message} (${why})` : err.message;
}
