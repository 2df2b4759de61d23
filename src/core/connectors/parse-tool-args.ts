import { z } from 'zod';
import { PermanentError } from '../processing/permanent-error.js';

/**
 * Validates a tool's arguments before anything is sent. ActionService validates too; this keeps
 * a connector from ever reaching its API with arguments the schema rejects, whoever calls it.
 */
export function parseToolArgs<Schema extends z.ZodType>(tool: string, schema: Schema, args: unknown): z.infer<Schema> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  throw new PermanentError(`${tool}: invalid arguments: ${z.prettifyError(result.error).replace(/\n/g, '; ')}`);
}
