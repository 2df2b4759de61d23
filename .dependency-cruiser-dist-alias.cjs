// Read by .dependency-cruiser.cjs (options.webpackConfig) for `npm run lint`: scripts that run the
// build (bench/, test/faults/) import `dist/X.js`; resolving that as src/X.ts catches a path the
// build no longer has without building first.
const { join } = require('node:path');

module.exports = { resolve: { alias: { [join(__dirname, 'dist')]: join(__dirname, 'src') } } };
