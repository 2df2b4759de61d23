'use strict';
// Run by webhook-provider after its files are written: `npm run config:docs` regenerates
// .env.example and docs/configuration.md from the settings classes, the new provider's included,
// so that nothing is edited by hand.

const { execFileSync } = require('node:child_process');
const { SchematicsException } = require('@angular-devkit/schematics');

function configDocs() {
  return (tree, context) => {
    context.logger.info('npm run config:docs (the new settings into .env.example and docs/configuration.md)');
    try {
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'config:docs'], { cwd: process.cwd(), stdio: 'inherit' });
    } catch {
      throw new SchematicsException('npm run config:docs failed (see above): fix the cause and run it again, so that .env.example and docs/configuration.md list the new settings');
    }
    return tree;
  };
}

module.exports = { configDocs };
