/**
 * Whether retrying a request that got this HTTP status cannot help: every 4xx except 408 (request
 * timeout) and 429 (rate limited). 5xx, 408 and 429 are worth retrying.
 */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
