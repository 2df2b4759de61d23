// Second pass of `npm run lint`: no cycle between the folders of src/core, over production code
// only. Test code is left out because it joins every folder to every other (a spec that imports
// test/support, which boots the whole application, would close a loop through any two folders).
// Options as in .dependency-cruiser.cjs, which holds the other rules.
const main = require('./.dependency-cruiser.cjs');

const TEST_CODE = main.forbidden.find((rule) => rule.name === 'production-not-to-test-code').to.path;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles-in-core',
      severity: 'error',
      comment:
        'Two folders of src/core import each other (directly or round a loop of folders): they are one layer in two ' +
        'places. Move the piece the lower folder takes from the upper one down into the lower one (or into a third, ' +
        'lower folder), so that imports between core folders go one way only.',
      scope: 'folder',
      from: { path: '^src/core/' },
      to: { path: '^src/core/', circular: true },
    },
  ],
  options: { ...main.options, exclude: { path: [...main.options.exclude.path, ...TEST_CODE] } },
};
