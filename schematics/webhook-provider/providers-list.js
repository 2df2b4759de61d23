'use strict';
// The provider's one line in src/providers/index.ts: its import, in order, and its entry at the end
// of the multi-line webhookProviders array.

const { GeneratorOptionError } = require('./generator-option-error.js');

const IMPORT = /^import \{ \w+ \} from '\.\/([a-z0-9-]+)\/index\.js';$/;
const ARRAY = /(export const webhookProviders: readonly WebhookProvider\[\] = \[\n)([\s\S]*?)(\n\];)/;

function importLine(model) {
  return `import { ${model.camel}Provider } from './${model.name}/index.js';`;
}

/** Whether the list already imports and lists the provider. */
function listsProvider(source, model) {
  const array = ARRAY.exec(source);
  return source.split('\n').includes(importLine(model)) && Boolean(array) && array[2].split('\n').some((line) => line.trim() === `${model.camel}Provider,`);
}

/** src/providers/index.ts with the provider added; throws when the file is not in the shape it knows. */
function withProvider(source, model) {
  const array = ARRAY.exec(source);
  if (!array) {
    throw new GeneratorOptionError(
      `src/providers/index.ts has no multi-line \`export const webhookProviders: readonly WebhookProvider[] = [\` … \`];\` array to add the provider to: add ${model.camel}Provider there by hand, with \`${importLine(model)}\``,
    );
  }
  const withEntry = source.replace(ARRAY, (_all, open, entries, close) => `${open}${entries.replace(/,?\s*$/, ',')}\n  ${model.camel}Provider,${close}`);
  const lines = withEntry.split('\n');
  const imports = lines.map((line, index) => ({ index, folder: IMPORT.exec(line)?.[1] })).filter((entry) => entry.folder);
  const after = imports.filter((entry) => entry.folder < model.name).pop();
  const at = after ? after.index + 1 : imports.length ? imports[0].index : lines.findIndex((line) => !line.startsWith('import ')) ;
  lines.splice(at, 0, importLine(model));
  return lines.join('\n');
}

module.exports = { listsProvider, withProvider };
