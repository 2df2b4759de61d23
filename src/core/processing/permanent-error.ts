/**
 * An error that retrying cannot fix (a payload that can never be handled, a 4xx from an API other
 * than 408/429). The event goes straight to DEAD instead of burning its retries.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
  }
}
