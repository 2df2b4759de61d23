const MAX_ERROR_LENGTH = 2000;

/** An error message as the ledgers store it: bounded, and saying when it was cut. */
export function storedError(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}… (truncated)` : text;
}
