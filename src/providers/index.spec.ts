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
});
