// Import rules of Hookwise, checked by `npm run lint` (dependency-cruiser; offline once installed).
// Each rule's `comment` is printed under each violation: it says what to do instead. The rule that
// core folders form no cycle runs in a second pass (.dependency-cruiser-core-layers.cjs).
//
// Layers: src/core is the platform and names no vendor; src/connectors/<vendor>/ are outbound
// integrations and src/providers/<name>/ webhook senders, each folder on its own; src/admin,
// src/health and the process files (main.ts, bootstrap.ts, app.module.ts, worker.module.ts…) sit on
// top. Type-only imports count like any other (tsPreCompilationDeps): a cycle made of types still
// ties two files together, and a type import across a layer is still a dependency on that layer.

/** Test code: specs, e2e specs, and the stand-ins and fixtures of testing/ folders; everything under test/. */
const TEST_CODE = ['\\.spec\\.ts$', '\\.e2e-spec\\.ts$', '(^|/)testing/', '^test/'];

/**
 * The core's public surface for providers and connectors (src/core/index.ts): their production code
 * imports nothing else of the core. Their specs and testing/ folders may reach further.
 */
const CORE_PUBLIC_SURFACE = ['^src/core/index\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-outer-layers',
      severity: 'error',
      comment:
        'src/core is the platform: it imports only src/core, src/config and the generated Prisma client, never a ' +
        'provider, a connector, admin, health or the process files (main.ts, bootstrap.ts, *.module.ts at the root). ' +
        'Move what the core needs into src/core (vendor-neutral), or have the outer layer hand it to the core ' +
        '(a provider or option registered at boot, an injected token).',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/config/', '^src/generated/'] },
    },
    {
      name: 'core-not-to-vendor-sdks',
      severity: 'error',
      comment:
        'src/core names no vendor, in its specs too: a vendor SDK (stripe, @octokit/*, @slack/*, @linear/*, @hubspot/*, ' +
        'firecrawl) belongs to the connector or provider that talks to that vendor. Test a shared scheme with node:crypto.',
      from: { path: '^src/core/' },
      to: { path: '(^|/)node_modules/(stripe|@octokit|@slack|@linear|@hubspot|@mendable)/' },
    },
    {
      name: 'connectors-not-to-providers',
      severity: 'error',
      comment:
        'A connector is an outbound integration any provider may use: it must not know the providers. Move the shared ' +
        'piece into the connector (or into src/core if it is vendor-neutral) and have the provider import it.',
      from: { path: '^src/connectors/' },
      to: { path: '^src/providers/' },
    },
    {
      name: 'connector-not-to-other-connector',
      severity: 'error',
      comment:
        "A connector's folder stands alone: it does not import another connector's folder. Put what both need in " +
        'src/core (vendor-neutral, e.g. src/core/connectors/), or let an agent call both tools.',
      from: { path: '^src/connectors/([^/]+)/' },
      to: { path: '^src/connectors/[^/]+/', pathNot: '^src/connectors/$1/' },
    },
    {
      name: 'provider-not-to-other-provider',
      severity: 'error',
      comment:
        "A provider's folder stands alone: it does not import another provider's folder. Put what both need in " +
        'src/core (vendor-neutral) or in a connector, and import it from there.',
      from: { path: '^src/providers/([^/]+)/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle (type-only imports count). Break it by moving the piece both files need (a constant, an ' +
        'interface, an error class) into a file of its own that both import, or by having the lower file take a ' +
        'callback or a small interface it declares instead of importing the class that calls it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'production-not-to-test-code',
      severity: 'error',
      comment:
        'Production code does not import test code (test/, a testing/ folder, a spec): it is not built into dist/ ' +
        'and pulls test-only packages into the service. Move what production needs out of the test code, or have ' +
        'the test hand it in (a base-URL setting, a provider or token overridden in the test module).',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'production-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Production code imports a package listed in devDependencies, which `npm install --omit=dev` (the image) ' +
        'leaves out. Move the package to dependencies in package.json, or keep the import in test code. ' +
        '(Type-only imports are allowed: they are erased at build.)',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unlisted-packages',
      severity: 'error',
      comment:
        'This package is not in package.json: it resolves only because another package brought it in, and can ' +
        "vanish with that package's next release. Add it to dependencies (devDependencies if only tests use it).",
      from: {},
      // fastify is the one exception: @nestjs/platform-fastify pins its exact version, and a second
      // copy of our own would give FastifyInstance types that no longer match Nest's adapter.
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/fastify/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file. Fix the path (TypeScript sources import their siblings as `./name.js`). ' +
        'If it is under src/generated/, run `npm run prisma:generate` first. Scripts under bench/ and test/faults/ ' +
        'import the build (dist/…): the path must match a file in src/.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'Nothing imports this file and it imports nothing: it is dead. Delete it, or import it from where it is used.',
      // A provider's demo-sample.mjs is loaded by scripts/demo.mjs from the folder listing, not imported.
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^src/generated/', '(^|/)[^/]+\\.config\\.[cm]?[jt]s$', '^src/providers/[^/]+/demo-sample\\.mjs$'] },
      to: {},
    },
    {
      name: 'through-core-public-surface',
      severity: 'error',
      comment:
        'Providers and connectors reach the core only through its public surface (CORE_PUBLIC_SURFACE in ' +
        '.dependency-cruiser.cjs). Import this from the surface; if the surface lacks it, add it there.',
      from: { path: '^src/(providers|connectors)/', pathNot: TEST_CODE },
      to: { path: '^src/core/', pathNot: CORE_PUBLIC_SURFACE },
    },
  ],
  options: {
    skipAnalysisNotInRules: true,
    // Inside node_modules and the generated Prisma client nothing is ours to check.
    doNotFollow: { path: ['(^|/)node_modules/', '^src/generated/'] },
    exclude: { path: ['^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // bench/ and test/faults/ import the build (dist/X.js): checked against src/X.ts (see that file).
    webpackConfig: { fileName: '.dependency-cruiser-dist-alias.cjs' },
  },
};
