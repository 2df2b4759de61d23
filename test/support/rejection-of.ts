import { inspect } from 'node:util';

/**
 * The error `promise` rejects with. Fails the test when it resolves instead, so that assertions
 * about the error (`not.toBeInstanceOf(PermanentError)`…) cannot pass on a call that succeeded.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    if (!(err instanceof Error)) throw new Error(`expected a rejection with an Error, got ${inspect(err)}`);
    return err;
  }
  throw new Error(`expected a rejection, but it resolved with ${inspect(value, { depth: 2 })}`);
}
