// `npm run config:docs`: writes .env.example and docs/configuration.md from the settings classes.
// `npm run config:docs -- --check`: writes nothing, and fails naming each file that differs from what it would write (CI).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDocs } from './config/config-docs.js';
import { undocumentedSettings } from './config/settings-reference.js';
import { settingsClasses } from './settings-classes.js';

// src/ or dist/: the repository is one level up either way.
const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const undocumented = undocumentedSettings(settingsClasses);
if (undocumented.length > 0) {
  console.error(`config:docs: every setting needs a description:\n${undocumented.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
const drifted: string[] = [];

for (const [path, content] of Object.entries(configDocs(settingsClasses))) {
  const file = join(root, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    drifted.push(current === undefined ? `${path} is missing` : `${path} differs from the settings classes (first at line ${firstDifferentLine(current, content)})`);
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`config:docs: wrote ${path}`);
  }
}

if (drifted.length > 0) {
  console.error(`config:docs --check: ${drifted.join('; ')}. Run \`npm run config:docs\` and commit the result.`);
  process.exit(1);
}
if (check) console.log('config:docs --check: .env.example and docs/configuration.md match the settings classes');

function firstDifferentLine(current: string, expected: string): number {
  const [a, b] = [current.split('\n'), expected.split('\n')];
  const index = a.findIndex((line, i) => line !== b[i]);
  return (index === -1 ? a.length : index) + 1;
}
