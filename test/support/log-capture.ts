import { Writable } from 'node:stream';
import { waitFor } from './wait-for.js';

/** Every log line written by the test applications of this process, for assertions about logs. */
export const capturedLogLines: string[] = [];

/** A pino destination that keeps the lines (and prints them when HOOKWISE_TEST_LOGS=1). */
export function logCapture(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line) capturedLogLines.push(line);
      if (process.env.HOOKWISE_TEST_LOGS === '1') process.stdout.write(text);
      done();
    },
  });
}

/** A captured line, parsed (pino's JSON); `context` is the Nest logger's name. */
export interface LogRecord {
  level: number;
  msg: string;
  context?: string;
}

/** The captured lines from index `since` on, parsed. */
export function capturedLogRecords(since = 0): LogRecord[] {
  return capturedLogLines.slice(since).map((line) => JSON.parse(line) as LogRecord);
}

/**
 * The access line of the request that carried delivery `deliveryId` in `header` (a provider's
 * logged delivery-id header; the synthetic provider's unless told), once it is written (it follows the answer).
 */
export function accessLineOf(deliveryId: string, since = 0, header = 'x-synthetic-delivery'): Promise<Record<string, unknown>> {
  return waitFor(`the access line of delivery ${deliveryId}`, () =>
    capturedLogLines
      .slice(since)
      .map((line) => JSON.parse(line) as { req?: { headers?: Record<string, string> } })
      .find((line) => line.req?.headers?.[header] === deliveryId),
  );
}
