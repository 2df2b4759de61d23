'use strict';
// `nest g webhook-provider <name>` / `npm run generate:provider -- <name> [options]`: writes
// src/providers/<name>/ in the provider kit's shape and its line in src/providers/index.ts, then
// regenerates the configuration reference (a post-task: after the files are on disk, never on --dry-run).
// Plain CommonJS, loaded by the Angular devkit as it is: no build step.

const { SchematicsException } = require('@angular-devkit/schematics');
const { RunSchematicTask } = require('@angular-devkit/schematics/tasks');
const { GeneratorOptionError } = require('./generator-option-error.js');
const { providerModel } = require('./options.js');
const { listsProvider, withProvider } = require('./providers-list.js');
const { providerFiles } = require('./provider-files.js');

const PROVIDERS = 'src/providers';
const PROVIDERS_LIST = `${PROVIDERS}/index.ts`;

/** Every file under `dir` of the tree, by path relative to it. */
function filesUnder(tree, dir) {
  const found = [];
  const walk = (entry, prefix) => {
    for (const file of entry.subfiles) found.push(`${prefix}${file}`);
    for (const sub of entry.subdirs) walk(entry.dir(sub), `${prefix}${sub}/`);
  };
  walk(tree.getDir(dir), '');
  return found.sort();
}

function webhookProvider(options) {
  return (tree, context) => {
    try {
      return generate(tree, context, options);
    } catch (err) {
      if (err instanceof GeneratorOptionError) throw new SchematicsException(err.message);
      throw err;
    }
  };
}

function generate(tree, context, options) {
  const list = tree.read(PROVIDERS_LIST);
  if (!list) throw new GeneratorOptionError(`${PROVIDERS_LIST} was not found: run the generator at the root of the Hookwise repository`);
  const model = providerModel(options);
  const folder = `${PROVIDERS}/${model.name}`;
  const files = providerFiles(model);
  const source = list.toString('utf8');

  const existing = filesUnder(tree, folder);
  if (existing.length > 0 || listsProvider(source, model)) {
    const identical =
      existing.length === Object.keys(files).length &&
      Object.entries(files).every(([path, content]) => tree.read(`${folder}/${path}`)?.toString('utf8') === content) &&
      listsProvider(source, model);
    if (identical) {
      context.logger.info(`${folder}/ is already generated with these options and listed in ${PROVIDERS_LIST}: nothing to do.`);
      return tree;
    }
    throw new GeneratorOptionError(
      `a provider named "${model.name}" already exists (${existing.length ? `${folder}/` : `listed in ${PROVIDERS_LIST}`}): the generator never overwrites one. Choose another name, or edit that folder`,
    );
  }

  for (const [path, content] of Object.entries(files)) tree.create(`${folder}/${path}`, content);
  tree.overwrite(PROVIDERS_LIST, withProvider(source, model));
  context.addTask(new RunSchematicTask('config-docs', {}));
  context.logger.info(
    `${model.title} provider: POST /webhooks/${model.name}, its secret in ${model.secretVariable}. Then fill in ${folder}/${model.files.handler} and ` +
      `${model.files.agent}, then npx vitest run ${folder} (docs/adding-a-provider.md).`,
  );
  return tree;
}

module.exports = { webhookProvider };
