import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueSchemaMigrator } from '../../src/core/queue/queue-schema-migrator.js';
import { endTurn, FakeAnthropic, outputSchemaOf } from '../support/fake-anthropic.js';
import { TEST_QUEUE_PREFIX, TEST_REDIS_URL, testDatabaseUrl, testQueueBackend } from '../support/test-environment.js';
import { waitFor } from '../support/wait-for.js';

// The generator's acceptance: `npm run generate:provider` writes a `cms` provider (post.published
// events from a headless CMS, HMAC hex in X-CMS-Signature, delivery id in X-CMS-Delivery, type in
// the body's `type`) into a copy of the repository; the copy type-checks and passes the import
// rules with it, its generated tests pass, and the service built from it takes signed deliveries
// (202, a redelivery 200 duplicate, a forged one 401) and hands them to the generated handler and
// its agent; `npm run demo` sends the generated demo sample, recorded IGNORED. Only the temporary
// copy is written; it is removed afterwards.

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** What the copy needs: sources (src/generated, the Prisma client, included), tests, scripts, the schema, configuration. */
const COPIED = [
  'src',
  'test',
  'scripts',
  'prisma',
  'docs',
  '.env.example',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.test.json',
  'nest-cli.json',
  'vitest.config.ts',
  'prisma.config.ts',
  '.dependency-cruiser.cjs',
  '.dependency-cruiser-core-layers.cjs',
  '.dependency-cruiser-dist-alias.cjs',
];
const GENERATE = ['run', 'generate:provider', '--', 'cms', '--header', 'X-CMS-Signature', '--encoding', 'hex', '--id-header', 'X-CMS-Delivery', '--type-field', 'type', '--events', 'post.published'];
const SECRET = 'cms-acceptance-secret-do-not-log';
const ADMIN_KEY = 'cms-acceptance-admin-key-0000';
const ANSWER = { summary: 'A post was published: “Hello, world”.', needs_attention: false };

interface Finished {
  code: number | null;
  output: string;
}

/** The commands still running: a test that times out leaves its command behind, ended in afterAll. */
const running = new Set<ChildProcess>();

/** Ends a command and whatever it started (npx starts node, vitest its workers): its process group. */
function endGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Runs a command in the copy, with the environment of a shell there (none of this test run's variables). */
function run(dir: string, command: string, args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env: { ...cleanEnvironment(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    child.once('close', () => running.delete(child));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: stripVTControlCharacters(output) }));
  });
}

/** The environment without what Vitest and the test run set (a nested run decides its own database and queues). */
function cleanEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(VITEST|HOOKWISE_TEST_|NODE_ENV$)/.test(entry[0])));
}

/** sha256 of every file under the given paths of `dir`, by path. */
function treeDigest(dir: string, paths: string[]): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const path of paths) {
    const full = join(dir, path);
    const files = statSync(full).isDirectory()
      ? readdirSync(full, { withFileTypes: true, recursive: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name))
      : [full];
    // src/generated is the Prisma client, which the build (started beside this) regenerates.
    for (const file of files.filter((f) => !f.startsWith(join(dir, 'src/generated/')))) digests[file.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return digests;
}

describe('a provider generated with npm run generate:provider (cms), built and run', () => {
  let dir: string;
  let generated: Finished;
  let typecheck: Promise<Finished>;
  let build: Promise<Finished>;
  let service: ChildProcess | null = null;
  let anthropic: FakeAnthropic;
  let database: pg.Client;
  const started = Date.now();

  beforeAll(async () => {
    expect(existsSync(join(REPOSITORY, 'src/providers/cms')), 'the repository itself has no cms provider').toBe(false);
    dir = mkdtempSync(join(tmpdir(), 'hookwise-generated-cms-'));
    for (const path of COPIED) cpSync(join(REPOSITORY, path), join(dir, path), { recursive: true });
    symlinkSync(join(REPOSITORY, 'node_modules'), join(dir, 'node_modules'), 'dir');
    generated = await run(dir, 'npm', GENERATE);
    // The two compiles run beside the other steps: the build \`npm start\` makes (scripts/build-if-stale.mjs:
    // prisma generate, then tsc without type checks into dist/), then the type check (sources and tests).
    // Not both at once: the build's prisma generate rewrites src/generated, which the type check reads.
    const notRun = Promise.resolve({ code: null, output: `not run: the generator failed:\n${generated.output}` });
    build = generated.code === 0 ? run(dir, 'node', ['scripts/build-if-stale.mjs']) : notRun;
    typecheck = generated.code === 0 ? build.then(() => run(dir, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.test.json'])) : notRun;
    [anthropic, database] = await Promise.all([FakeAnthropic.start(), (async () => {
      const client = new pg.Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      return client;
    })()]);
  }, 180_000);

  afterAll(async () => {
    if (service && service.exitCode === null && service.signalCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    }
    for (const child of running) endGroup(child, 'SIGKILL');
    await Promise.all([typecheck?.catch(() => undefined), build?.catch(() => undefined)]);
    await Promise.all([anthropic?.close(), database?.end()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`[generated provider] whole acceptance run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it('writes src/providers/cms/, its line in src/providers/index.ts and the configuration reference; a second run changes nothing', async () => {
    expect(generated.code, generated.output).toBe(0);
    expect(readdirSync(join(dir, 'src/providers/cms'), { recursive: true, encoding: 'utf8' }).sort()).toEqual([
      'README.md',
      'cms-event.agent.ts',
      'cms-event.handler.ts',
      'cms-ingest.e2e-spec.ts',
      'cms-payload.schema.ts',
      'cms-webhook.provider.ts',
      'cms.config.ts',
      'demo-sample.mjs',
      'fixtures',
      'fixtures/post-published.json',
      'index.ts',
      'testing',
      'testing/cms-deliveries.ts',
    ]);
    expect(readFileSync(join(dir, 'src/providers/index.ts'), 'utf8')).toMatch(/import \{ cmsProvider \} from '\.\/cms\/index\.js';[\s\S]* {2}[a-zA-Z]+Provider,\n {2}cmsProvider,\n\];/);
    // The settings reference was regenerated by the generator itself (npm run config:docs, after the files were written).
    expect(generated.output).toContain('config:docs: wrote .env.example');
    expect(readFileSync(join(dir, '.env.example'), 'utf8')).toMatch(/# ══ CMS provider ═+\n# Receiving CMS webhooks \(X-CMS-Signature\)\.\n# \[secret\] The webhook's secret\. [\s\S]*?\nCMS_WEBHOOK_SECRET=\n/);
    expect(readFileSync(join(dir, 'docs/configuration.md'), 'utf8')).toContain('CMS_WEBHOOK_SECRET');

    const before = treeDigest(dir, ['src', 'docs', 'test', '.env.example']);
    const again = await run(dir, 'npm', GENERATE);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('src/providers/cms/ is already generated with these options and listed in src/providers/index.ts: nothing to do.');
    expect(treeDigest(dir, ['src', 'docs', 'test', '.env.example'])).toEqual(before);
  }, 120_000);

  it('passes the import rules (dependency-cruiser) as hand-written providers do', async () => {
    const lint = await run(dir, 'npx', ['depcruise', '--config', '.dependency-cruiser.cjs', '--output-type', 'err-long', 'src/providers/cms', 'src/providers/index.ts']);
    expect(lint.code, lint.output).toBe(0);
    expect(lint.output).toContain('no dependency violations found');
  }, 120_000);

  it('its generated e2e spec passes, in the copy', async () => {
    // After the build: its prisma generate rewrites src/generated, which this run imports.
    await build;
    // On this run's database (already migrated) and queue backend: the nested run creates neither.
    const tests = await run(dir, 'npx', ['vitest', 'run', 'src/providers/cms'], { TEST_DATABASE_URL: testDatabaseUrl(), TEST_QUEUE_BACKEND: testQueueBackend() });
    expect(tests.code, tests.output).toBe(0);
    expect(tests.output).toMatch(/Tests\s+\S*\s*\d+ passed/);
    expect(tests.output).not.toMatch(/\d+ (failed|skipped)/);
  }, 180_000);

  it('built and started as npm start does, takes a signed delivery (202) to the handler and its agent, a redelivery 200 duplicate, a forged one 401', async () => {
    anthropic.fallback = (request) => (outputSchemaOf(request) ? endTurn(JSON.stringify(ANSWER)) : endTurn('prose, not the answer asked for'));
    const built = await build;
    expect(built.code, built.output).toBe(0);

    const queuePrefix = `${TEST_QUEUE_PREFIX}-generated-cms-${randomUUID().slice(0, 8)}`;
    const backend = testQueueBackend();
    if (backend === 'postgres') await new QueueSchemaMigrator(testDatabaseUrl(), QueueSchemaMigrator.schemaFor(queuePrefix)).run();
    service = spawn(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: {
        ...cleanEnvironment(),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: testDatabaseUrl(),
        MIGRATE_ON_START: 'false',
        QUEUE_BACKEND: backend,
        ...(backend === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
        QUEUE_PREFIX: queuePrefix,
        CMS_WEBHOOK_SECRET: SECRET,
        ADMIN_API_KEYS: ADMIN_KEY,
        ANTHROPIC_API_KEY: 'sk-ant-test-generated-cms',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    service.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = await waitFor('the built service to listen', () => /hookwise listening on (http:\/\/[^\s"]+)/.exec(output)?.[1] ?? (service!.exitCode !== null ? Promise.reject(new Error(output)) : null), 60_000);

    const deliveryId = `evt_${randomUUID()}`;
    const postId = `post_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({ type: 'post.published', post: { id: postId, title: 'Hello, world', url: 'https://cms.example/hello-world' } });
    const send = async (signature: string, id = deliveryId) => {
      const response = await fetch(`${url}/webhooks/cms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cms-delivery': id, 'x-cms-signature': signature },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // Signed here with node:crypto, as the CMS would: not with the generated test signer.
    const signed = createHmac('sha256', SECRET).update(body).digest('hex');

    const first = await send(signed);
    expect(first, output).toMatchObject({ status: 202, body: { status: 'accepted' } });
    const id = first.body.id as string;
    const settled = await waitFor('the event to settle', async () => {
      const { rows } = await database.query('SELECT provider, delivery_id, event_type, status FROM webhook_events WHERE id = $1', [id]);
      return rows[0] && ['SUCCEEDED', 'IGNORED', 'DEAD'].includes(rows[0].status) ? rows[0] : null;
    }, 30_000);
    expect(settled, output).toEqual({ provider: 'cms', delivery_id: deliveryId, event_type: 'post.published', status: 'SUCCEEDED' });

    // The generated handler ran its agent: one Messages request carrying this event, one run with the structured answer.
    expect(anthropic.requests).toHaveLength(1);
    expect(JSON.stringify(anthropic.requests[0].body.messages)).toContain(postId);
    expect(outputSchemaOf(anthropic.requests[0])).not.toBeNull();
    const runs = await database.query('SELECT agent, status, answer FROM agent_runs WHERE event_id = $1', [id]);
    expect(runs.rows).toEqual([{ agent: 'cms-event', status: 'SUCCEEDED', answer: ANSWER }]);

    const duplicate = await send(signed);
    expect(duplicate).toEqual({ status: 200, body: { id, status: 'duplicate' } });

    const forgedId = `evt_${randomUUID()}`;
    const forged = await send(createHmac('sha256', 'not-the-secret').update(body).digest('hex'), forgedId);
    expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const stored = await database.query('SELECT count(*)::int AS n FROM webhook_events WHERE provider = $1 AND delivery_id = ANY($2)', ['cms', [deliveryId, forgedId]]);
    expect(stored.rows[0].n).toBe(1);
    expect(anthropic.requests).toHaveLength(1);

    // npm run demo finds the generated demo-sample.mjs: signed as the CMS signs, of a type the handler does not take.
    const demo = await run(dir, 'node', ['scripts/demo.mjs'], { HOOKWISE_URL: url, CMS_WEBHOOK_SECRET: SECRET, ADMIN_API_KEY: ADMIN_KEY });
    expect(demo.code, demo.output).toBe(0);
    expect(demo.output).toMatch(/- cms: POST \/webhooks\/cms → 202 \{"id":"[0-9a-f-]{36}","status":"accepted"\}/);
    const sample = await database.query("SELECT id, event_type, status FROM webhook_events WHERE provider = 'cms' AND delivery_id LIKE 'evt_demo_%'");
    expect(sample.rows).toEqual([{ id: expect.any(String), event_type: 'hookwise.demo', status: 'IGNORED' }]);
    expect(demo.output).toContain(`cms hookwise.demo (${sample.rows[0].id})`);
    expect(demo.output).toContain('status       IGNORED');
    expect(anthropic.requests).toHaveLength(1);
  }, 180_000);

  it('type-checks with the generated files (tsc --noEmit over sources and tests)', async () => {
    const result = await typecheck;
    expect(result.code, result.output).toBe(0);
  }, 240_000);
});
