/**
 * A signed, well-formed JSON payload that PostgreSQL still refuses to store: a number beyond the
 * range of jsonb's numeric (`1e1000000`, which JSON.parse reads as Infinity) or nesting deeper than
 * the server's stack allows. Retrying cannot help: ingest answers it 400 `unstorable_payload`
 * (the sender's fault), not 503.
 */
export class UnstorablePayloadError extends Error {
  constructor(reason: string) {
    super(`the payload is valid JSON, but the ledger cannot store it: ${reason}`);
    this.name = 'UnstorablePayloadError';
  }
}

/** SQLSTATE classes 22 (data exception) and 54 (program limit exceeded): the row, not the database, is at fault. */
export function isRowDataError(err: unknown): err is Error {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}
