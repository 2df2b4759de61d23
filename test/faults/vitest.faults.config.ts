import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the reliability suite. It starts its own PostgreSQL and Redis on private
// ports and runs Hookwise from dist/ as real child processes, so it can kill and stop any of them.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2023' } })],
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/faults/**/*.fault-spec.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
