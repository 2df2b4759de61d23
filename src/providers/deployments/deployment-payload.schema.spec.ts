import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deploymentEventSchema } from './deployment-payload.schema.js';

const SCHEMA_FILE = new URL('./deployment-event.schema.json', import.meta.url);
const SAMPLE_FILE = new URL('./fixtures/deployment-created.json', import.meta.url);
const generated = () => `${JSON.stringify(z.toJSONSchema(deploymentEventSchema, { io: 'input' }), null, 2)}\n`;

describe('the deployment event payload', () => {
  it('the committed JSON Schema is the zod schema\'s (UPDATE_DEPLOYMENT_SCHEMA=1 rewrites it)', () => {
    if (process.env.UPDATE_DEPLOYMENT_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated());
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated());
  });

  it('accepts the README sample and refuses what the watch cannot act on', () => {
    const sample = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8'));
    expect(deploymentEventSchema.parse(sample).data.previous_version).toBe('v41');
    const without = (key: string) => ({ ...sample, data: { ...sample.data, [key]: undefined } });
    for (const key of ['deployment_id', 'service', 'environment', 'commit_sha', 'version', 'previous_version', 'urls']) {
      expect(deploymentEventSchema.safeParse(without(key)).success, key).toBe(false);
    }
    expect(deploymentEventSchema.safeParse({ ...sample, data: { ...sample.data, urls: ['file:///etc/passwd'] } }).success).toBe(false);
    expect(deploymentEventSchema.safeParse({ ...sample, data: { ...sample.data, service: 'web\n<!channel>' } }).success).toBe(false);
  });
});
