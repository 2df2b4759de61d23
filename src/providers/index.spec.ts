import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webhookProviders } from './index.js';

describe('src/providers/index.ts', () => {
  it('lists every provider folder, under the folder name, exactly once', () => {
    const folders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const listed = webhookProviders.map((provider) => provider.name);
    expect(new Set(listed).size, 'a provider is listed twice').toBe(listed.length);
    expect([...listed].sort(), 'a folder under src/providers/ is missing from src/providers/index.ts (or a listed name differs from its folder)').toEqual(folders);
  });

  it('gives every provider its demo sample, demo-sample.mjs, which npm run demo (scripts/demo.mjs) sends (or noDemo: why it has none)', async () => {
    for (const { name } of webhookProviders) {
      const sample = (await import(new URL(`./${name}/demo-sample.mjs`, import.meta.url).href)) as { secretVariable?: unknown; demoDelivery?: (secret: string) => unknown; noDemo?: unknown };
      // A sender signing with its own private key cannot be imitated: the file says why instead.
      if (sample.noDemo !== undefined) {
        expect(sample.noDemo, `${name}/demo-sample.mjs: noDemo says why`).toMatch(/^\S.{19,}$/);
        expect(sample.demoDelivery, `${name}/demo-sample.mjs: noDemo or demoDelivery, not both`).toBeUndefined();
        continue;
      }
      expect(sample.secretVariable, `${name}/demo-sample.mjs exports secretVariable`).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(typeof sample.demoDelivery, `${name}/demo-sample.mjs exports demoDelivery(secret)`).toBe('function');
      expect(sample.demoDelivery!('whsec_ZGVtby1zZWNyZXQ='), name).toEqual({ body: expect.any(String), headers: expect.objectContaining({ 'content-type': expect.stringContaining('application/json') }) });
    }
  });
});
