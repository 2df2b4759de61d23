// `node --import <this file> src/main.ts`: runs the TypeScript sources in a child process as Vitest
// runs them in the tests (SWC, decorator metadata kept), with no build.
import { register } from 'node:module';

register('./swc-hooks.mjs', import.meta.url);
