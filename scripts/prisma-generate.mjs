#!/usr/bin/env node
// Runs `prisma generate` offline. Generation never executes Prisma's schema engine, but the CLI
// insists on finding one and would otherwise try to download it. When no real engine is installed
// we point PRISMA_SCHEMA_ENGINE_BINARY at a stub that explains itself if anything ever calls it.
// On a machine where the engine was downloaded (or the variable is set), nothing is overridden.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const enginesDir = join(root, 'node_modules', '@prisma', 'engines');
const hasRealEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'));

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !hasRealEngine) {
  const stub = join(root, 'scripts', 'schema-engine-stub.sh');
  chmodSync(stub, 0o755);
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
