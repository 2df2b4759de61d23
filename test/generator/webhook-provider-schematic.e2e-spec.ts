import { HostTree, type Tree } from '@angular-devkit/schematics';
import { SchematicTestRunner } from '@angular-devkit/schematics/testing';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HmacSignatureVerifier, StandardWebhooksVerifier, TimestampedHmacVerifier, type WebhookVerifier } from '../../src/core/index.js';

// The webhook-provider schematic on its own: option checks and their messages, what it writes and
// where, idempotence, --dry-run (through the schematics CLI, as `npm run generate:provider` runs
// it, and through `nest g`). What the files do once written: generated-provider.e2e-spec.ts.

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const COLLECTION = join(REPOSITORY, 'schematics', 'collection.json');
const PROVIDERS_LIST = readFileSync(join(REPOSITORY, 'src/providers/index.ts'), 'utf8');
const execFileAsync = promisify(execFile);

/** Runs a command; its output without colours (the CLIs colour it whatever NO_COLOR says). */
async function run(command: string, args: string[], cwd: string) {
  const { stdout, stderr } = await execFileAsync(command, args, { cwd });
  return { stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) };
}

const CMS = { name: 'cms', header: 'X-CMS-Signature', encoding: 'hex', idHeader: 'X-CMS-Delivery', typeField: 'type', events: 'post.published' };
const CMS_FILES = [
  'README.md',
  'cms-event.agent.ts',
  'cms-event.handler.ts',
  'cms-ingest.e2e-spec.ts',
  'cms-payload.schema.ts',
  'cms-webhook.provider.ts',
  'cms.config.ts',
  'demo-sample.mjs',
  'fixtures/post-published.json',
  'index.ts',
  'testing/cms-deliveries.ts',
];

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** A repository as the schematic sees it: the real providers list, and GitHub's folder. */
function repositoryTree(): HostTree {
  const tree = new HostTree();
  tree.create('src/providers/index.ts', PROVIDERS_LIST);
  tree.create('src/providers/github/index.ts', '// GitHub’s provider\n');
  return tree;
}

/** Every file of a tree with its content. */
function snapshot(tree: Tree): Record<string, string> {
  const files: Record<string, string> = {};
  tree.visit((path) => {
    files[path] = tree.readText(path);
  });
  return files;
}

describe('the webhook-provider schematic', () => {
  const runner = new SchematicTestRunner('hookwise-schematics', COLLECTION);
  const generate = (options: Record<string, unknown>, tree: Tree = repositoryTree()) => runner.runSchematic('webhook-provider', options, tree);
  const refusal = async (options: Record<string, unknown>, tree?: Tree) => {
    const error = await generate(options, tree).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(error, `${JSON.stringify(options)} was accepted`).toBeInstanceOf(Error);
    return error!.message;
  };

  it('writes the provider kit’s files under src/providers/<name>/, adds its one line to src/providers/index.ts, and schedules config:docs', async () => {
    const tree = await generate(CMS);
    expect(tree.files.filter((path) => path.startsWith('/src/providers/cms/')).map((path) => path.slice('/src/providers/cms/'.length)).sort()).toEqual(CMS_FILES);

    const list = tree.readText('src/providers/index.ts');
    expect(list.split('\n').filter((line) => !PROVIDERS_LIST.split('\n').includes(line))).toEqual(["import { cmsProvider } from './cms/index.js';", '  cmsProvider,']);
    // In order among the imports, last in the (still multi-line) array.
    expect(list).toContain("import type { WebhookProvider } from '../core/index.js';\nimport { cmsProvider } from './cms/index.js';\nimport { deploymentsProvider } from './deployments/index.js';");
    expect(list).toMatch(/ {2}[a-zA-Z]+Provider,\n {2}cmsProvider,\n\];\n$/);
    expect(runner.tasks).toEqual([expect.objectContaining({ name: 'run-schematic', options: expect.objectContaining({ name: 'config-docs' }) })]);

    const definition = tree.readText('src/providers/cms/cms-webhook.provider.ts');
    expect(definition).toContain("new HmacSignatureVerifier(secretList(config.CMS_WEBHOOK_SECRET), { header: 'x-cms-signature', encoding: 'hex' })");
    expect(definition).toContain("from '../../core/index.js'");
    expect(definition).not.toMatch(/createHmac|timingSafeEqual|node:crypto/);
    expect(tree.readText('src/providers/cms/cms.config.ts')).toMatch(/secret: true,[\s\S]*CMS_WEBHOOK_SECRET\?: string;/);
    expect(tree.readText('src/providers/cms/testing/cms-deliveries.ts')).toContain("createHmac('sha256', secret).update(body).digest('hex')");
    expect(JSON.parse(tree.readText('src/providers/cms/fixtures/post-published.json'))).toMatchObject({ type: 'post.published' });
  });

  it('configures the shared scheme each option family asks for, never a verifier of its own', async () => {
    const base64 = await generate({ name: 'shop', encoding: 'base64', prefix: 'sha256=', idField: 'meta.event_id', typeHeader: 'X-Shop-Topic', subjectField: 'order.id' });
    const shop = base64.readText('src/providers/shop/shop-webhook.provider.ts');
    expect(shop).toContain("new HmacSignatureVerifier(secretList(config.SHOP_WEBHOOK_SECRET), { header: 'x-shop-signature', encoding: 'base64', prefix: 'sha256=' })");
    expect(shop).toContain('deliveryId: String(result.data.meta.event_id)');
    expect(shop).toContain("const eventType = typeof headers['x-shop-topic'] === 'string'");
    expect(shop).toContain('const subject = result.data.order?.id;');
    expect(base64.readText('src/providers/shop/testing/shop-deliveries.ts')).toContain("digest('base64')");

    const stripeStyle = await generate({ name: 'billing', scheme: 'timestamped-hmac', header: 'Billing-Signature', tolerance: 600 });
    expect(stripeStyle.readText('src/providers/billing/billing-webhook.provider.ts')).toContain(
      "new TimestampedHmacVerifier(secretList(config.BILLING_WEBHOOK_SECRET), {\n      signatureHeader: 'billing-signature',\n      scheme: 'v1',\n      signedContent: '{timestamp}.{body}',\n      toleranceSeconds: 600,\n    })",
    );
    const slackStyle = await generate({ name: 'chat', scheme: 'timestamped-hmac', timestampHeader: 'X-Chat-Timestamp', signatureScheme: 'v0', signedContent: '{scheme}:{timestamp}:{body}' });
    expect(slackStyle.readText('src/providers/chat/chat-webhook.provider.ts')).toContain("timestampHeader: 'x-chat-timestamp',\n      scheme: 'v0',\n      signedContent: '{scheme}:{timestamp}:{body}',");
    expect(slackStyle.readText('src/providers/chat/testing/chat-deliveries.ts')).toContain('.update(`v0:${timestamp}:${body}`)');

    const standard = await generate({ name: 'deploys', scheme: 'standard-webhooks' });
    expect(standard.readText('src/providers/deploys/deploys-webhook.provider.ts')).toContain('new StandardWebhooksVerifier(secretList(config.DEPLOYS_WEBHOOK_SECRET))');
    expect(standard.readText('src/providers/deploys/testing/deploys-deliveries.ts')).toContain("import { Webhook } from 'standardwebhooks';");
  });

  it('writes demo-sample.mjs: a delivery `npm run demo` sends, signed so that the scheme’s verifier accepts it, of a type the handler does not take', async () => {
    const secret = `whsec_${Buffer.from('demo-sample-test-secret').toString('base64')}`;
    const cases: Array<{ options: Record<string, unknown>; verifier: WebhookVerifier; id: (d: Delivery) => unknown; type: (d: Delivery) => unknown; expectedType: string }> = [
      {
        options: CMS,
        verifier: new HmacSignatureVerifier([secret], { header: 'x-cms-signature', encoding: 'hex' }),
        id: (d) => d.headers['x-cms-delivery'],
        type: (d) => JSON.parse(d.body).type,
        expectedType: 'hookwise.demo',
      },
      {
        options: { name: 'shop', encoding: 'base64', prefix: 'sha256=', idField: 'meta.event_id', typeHeader: 'X-Shop-Topic', subjectField: 'order.id' },
        verifier: new HmacSignatureVerifier([secret], { header: 'x-shop-signature', encoding: 'base64', prefix: 'sha256=' }),
        id: (d) => JSON.parse(d.body).meta.event_id,
        type: (d) => d.headers['x-shop-topic'],
        // Every type handled: the first handled one (the generated agent only summarises).
        expectedType: 'example.created',
      },
      {
        options: { name: 'billing', scheme: 'timestamped-hmac', header: 'Billing-Signature', events: 'invoice.paid' },
        verifier: new TimestampedHmacVerifier([secret], { signatureHeader: 'billing-signature', scheme: 'v1', signedContent: '{timestamp}.{body}', toleranceSeconds: 300 }),
        id: (d) => d.headers['x-billing-delivery'],
        type: (d) => JSON.parse(d.body).type,
        expectedType: 'hookwise.demo',
      },
      {
        options: { name: 'chat', scheme: 'timestamped-hmac', timestampHeader: 'X-Chat-Timestamp', signatureScheme: 'v0', signedContent: '{scheme}:{timestamp}:{body}', events: 'hookwise.demo' },
        verifier: new TimestampedHmacVerifier([secret], { signatureHeader: 'x-chat-signature', timestampHeader: 'x-chat-timestamp', scheme: 'v0', signedContent: '{scheme}:{timestamp}:{body}', toleranceSeconds: 300 }),
        id: (d) => d.headers['x-chat-delivery'],
        type: (d) => JSON.parse(d.body).type,
        expectedType: 'hookwise.demo.sample',
      },
      {
        options: { name: 'deploys', scheme: 'standard-webhooks', events: 'deploy.failed' },
        verifier: new StandardWebhooksVerifier([secret]),
        id: (d) => d.headers['webhook-id'],
        type: (d) => JSON.parse(d.body).type,
        expectedType: 'hookwise.demo',
      },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'hookwise-demo-sample-'));
    try {
      for (const { options, verifier, id, type, expectedType } of cases) {
        const name = options.name as string;
        const tree = await generate(options);
        const file = join(dir, `${name}-demo-sample.mjs`);
        writeFileSync(file, tree.readText(`src/providers/${name}/demo-sample.mjs`));
        const sample = (await import(file)) as { secretVariable: string; demoDelivery(secret: string): Delivery };
        expect(sample.secretVariable).toBe(`${name.toUpperCase()}_WEBHOOK_SECRET`);
        const delivery = sample.demoDelivery(secret);
        expect(await verifier.verify(Buffer.from(delivery.body), delivery.headers), name).toEqual({ valid: true });
        expect(await verifier.verify(Buffer.from(`${delivery.body} `), delivery.headers), `${name}: a changed body`).toMatchObject({ valid: false });
        expect(id(delivery), name).toMatch(/^evt_demo_[0-9a-f-]{36}$/);
        expect(type(delivery), name).toBe(expectedType);
        expect(id(sample.demoDelivery(secret)), `${name}: a fresh delivery id each run`).not.toBe(id(delivery));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that are not kebab-case, reserved names and existing providers, saying why', async () => {
    for (const name of ['Cms', 'cms_hooks', '1cms', 'cms-', 'cms--hooks', 'my cms', 'cms.hooks', 'a'.repeat(41)]) {
      expect(await refusal({ ...CMS, name })).toMatch(/is not a provider name: use kebab-case|too long for a provider name/);
    }
    for (const name of ['admin', 'health', 'metrics', 'webhooks', 'core', 'index', 'synthetic', 'testing']) {
      expect(await refusal({ ...CMS, name })).toContain(`"${name}" is reserved: it names a folder or a route of Hookwise itself`);
    }
    expect(await refusal({ ...CMS, name: 'github' })).toBe('a provider named "github" already exists (src/providers/github/): the generator never overwrites one. Choose another name, or edit that folder');
    expect(await refusal({ header: 'X-Sig' })).toMatch(/name/);
  });

  it('refuses options that contradict each other or the scheme, and values it cannot write safely', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ idHeader: 'X-CMS-Delivery', idField: 'id' }, /give --id-header or --id-field, not both/],
      [{ typeHeader: 'X-CMS-Event', typeField: 'type' }, /give --type-header or --type-field, not both/],
      [{ scheme: 'standard-webhooks', header: 'X-CMS-Signature' }, /--header applies to --scheme hmac or timestamped-hmac, not standard-webhooks/],
      [{ scheme: 'standard-webhooks', idHeader: 'X-CMS-Delivery' }, /its delivery id: it is the webhook-id header/],
      [{ tolerance: 60 }, /--tolerance applies to --scheme timestamped-hmac, not hmac/],
      [{ scheme: 'hmac', timestampHeader: 'X-TS' }, /--timestamp-header applies to --scheme timestamped-hmac/],
      [{ scheme: 'timestamped-hmac', encoding: 'hex', header: 'X-Sig' }, /--encoding applies to --scheme hmac, not timestamped-hmac/],
      [{ scheme: 'timestamped-hmac', tolerance: 0 }, /--tolerance must be a whole number of seconds from 1 to 3600/],
      [{ scheme: 'timestamped-hmac', signedContent: '{body}' }, /--signed-content "\{body\}" must name \{timestamp\} and \{body\} once/],
      [{ header: 'X CMS Signature' }, /--header "X CMS Signature" is not a header name/],
      [{ prefix: "sha256='" }, /--prefix .* without spaces, quotes or backslashes/],
      [{ idHeader: 'X-CMS-Signature' }, /the delivery id cannot be read from X-CMS-Signature: that header carries the signature/],
      [{ typeField: 'event..type' }, /--type-field "event\.\.type" is not a payload field/],
      [{ idField: 'event', typeField: 'event.type' }, /the payload fields event and event\.type overlap/],
      [{ events: 'post.published,post published' }, /--events: "post published" is not an event type/],
      [{ title: "CMS'); drop" }, /--title .* may hold letters, digits, spaces/],
    ];
    for (const [options, message] of cases) expect(await refusal({ name: 'cms', ...options })).toMatch(message);
    // The schema refuses what it does not know, and values outside its enums.
    expect(await refusal({ ...CMS, hedaer: 'X-Typo' })).toMatch(/hedaer/);
    expect(await refusal({ ...CMS, encoding: 'base32' })).toMatch(/encoding/);
    expect(await refusal({ ...CMS, scheme: 'rsa' })).toMatch(/scheme/);
  });

  it('changes nothing when run again with the same options, and refuses other options over the generated provider', async () => {
    const first = await generate(CMS);
    const written = snapshot(first);
    expect(runner.tasks).toHaveLength(1);
    const second = await generate(CMS, first);
    expect(snapshot(second)).toEqual(written);
    expect(runner.tasks, 'config:docs is not run again').toEqual([]);
    expect(await refusal({ ...CMS, encoding: 'base64' }, first)).toContain('a provider named "cms" already exists (src/providers/cms/)');
    // The defaults written out, or left implicit, are the same provider (its README names the shortest command).
    const implicit = await generate({ name: 'cms', events: 'post.published' }, first);
    expect(snapshot(implicit)).toEqual(written);
    expect(written['/src/providers/cms/README.md']).toContain('Generated by `npm run generate:provider -- cms --events post.published`');
  });
});

describe('the generator from the command line (schematics CLI and nest g)', () => {
  let dir: string;

  beforeAll(() => {
    // A directory with just what the schematic reads; the collection resolves from the repository's node_modules.
    dir = mkdtempSync(join(tmpdir(), 'hookwise-generator-cli-'));
    mkdirSync(join(dir, 'src/providers/github'), { recursive: true });
    writeFileSync(join(dir, 'src/providers/index.ts'), PROVIDERS_LIST);
    writeFileSync(join(dir, 'src/providers/github/index.ts'), '// GitHub’s provider\n');
    writeFileSync(join(dir, 'nest-cli.json'), readFileSync(join(REPOSITORY, 'nest-cli.json')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const files = () => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  const bin = (name: string) => join(REPOSITORY, 'node_modules', '.bin', name);

  it('--dry-run lists every file it would write and writes nothing (npm run generate:provider’s command, and nest g)', async () => {
    const before = files();
    const schematics = await run(bin('schematics'), ['hookwise-schematics:webhook-provider', '--no-interactive', 'cms', '--dry-run', '--id-header', 'X-CMS-Delivery', '--events', 'post.published'], dir);
    for (const file of CMS_FILES) expect(schematics.stdout).toContain(`CREATE src/providers/cms/${file} (`);
    expect(schematics.stdout).toContain('UPDATE src/providers/index.ts (');
    expect(schematics.stdout).toContain('Dry run enabled. No files written to disk.');
    expect(schematics.stdout).not.toContain('config:docs');

    const nest = await run(bin('nest'), ['g', 'webhook-provider', 'cms', '--dry-run'], dir);
    // nest g passes no options: the defaults (HMAC hex in X-CMS-Signature, X-CMS-Delivery, `type`), every event type.
    for (const file of CMS_FILES) expect(nest.stdout).toContain(`CREATE src/providers/cms/${file.replace('post-published', 'example-created')} (`);
    expect(files()).toEqual(before);
    expect(existsSync(join(dir, 'src/providers/cms'))).toBe(false);
  });

  it('exits non-zero with the refusal on stderr', async () => {
    const failed = await execFileAsync(bin('schematics'), ['hookwise-schematics:webhook-provider', '--no-interactive', 'Cms'], { cwd: dir }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(stripVTControlCharacters(failed?.stderr ?? '')).toContain('"Cms" is not a provider name: use kebab-case');
  });
});
