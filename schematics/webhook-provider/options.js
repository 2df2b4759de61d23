'use strict';
// The generator's options, checked and turned into the model every file is rendered from. Every
// refusal is a GeneratorOptionError with a message that says what to pass instead.

const { fieldPath } = require('./field-path.js');
const { GeneratorOptionError } = require('./generator-option-error.js');

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const HEADER = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const TITLE = /^[A-Za-z0-9][A-Za-z0-9 .&+-]*$/;
const PREFIX = /^[!#-&(-[\]-~]*$/; // printable ASCII but space, quotes and backslash
const SIGNATURE_SCHEME = /^[a-z0-9]{1,10}$/;
const SIGNED_CONTENT = /^[A-Za-z0-9{}.:_|-]+$/;

/**
 * Names a provider may not take: they are folders or routes of the application itself, the test
 * apps' synthetic provider, or words that would make its files read wrong (index.ts, testing/).
 */
const RESERVED_NAMES = [
  'admin', 'all', 'api', 'config', 'connectors', 'core', 'docs', 'fixtures', 'generated', 'health', 'index',
  'metrics', 'openapi', 'providers', 'queues', 'synthetic', 'testing', 'webhook', 'webhooks', 'worker',
];

const SCHEME_OPTIONS = {
  hmac: ['header', 'encoding', 'prefix'],
  'timestamped-hmac': ['header', 'timestampHeader', 'signatureScheme', 'signedContent', 'tolerance'],
  'standard-webhooks': [],
};
const SCHEME_ONLY = ['header', 'encoding', 'prefix', 'timestampHeader', 'signatureScheme', 'signedContent', 'tolerance'];

/** Why `name` cannot be a provider's name, or null. `existing`: the providers already there. */
function nameProblem(name, existing = []) {
  if (typeof name !== 'string' || name === '') return 'a provider needs a name: npm run generate:provider -- <name> (kebab-case, e.g. cms or headless-cms)';
  if (!NAME.test(name)) {
    return `"${name}" is not a provider name: use kebab-case, lower-case letters and digits in words joined by single hyphens, starting with a letter (e.g. cms, headless-cms, shop2)`;
  }
  if (name.length > 40) return `"${name}" is too long for a provider name (at most 40 characters): it becomes a folder, a route, a queue and variable names`;
  if (RESERVED_NAMES.includes(name)) {
    return `"${name}" is reserved: it names a folder or a route of Hookwise itself (reserved: ${RESERVED_NAMES.join(', ')}). Choose the sender's name, e.g. ${name}-events`;
  }
  if (existing.includes(name)) return `a provider named "${name}" already exists (src/providers/${name}/): choose another name, or edit that folder`;
  return null;
}

function words(name) {
  return name.split('-');
}

/** CMS for cms, Headless CMS for headless-cms: short words read as acronyms. */
function titleOf(name) {
  return words(name)
    .map((word) => (word.length <= 3 ? word.toUpperCase() : word[0].toUpperCase() + word.slice(1)))
    .join(' ');
}

/** A header: as written in prose (the default's spelling when it is the default) and as Node gives it (lower-case). */
function header(value, option, byDefault) {
  if (!HEADER.test(value)) throw new GeneratorOptionError(`--${option} "${value}" is not a header name (letters, digits and hyphens, e.g. X-CMS-Signature)`);
  const key = value.toLowerCase();
  return { display: byDefault && byDefault.toLowerCase() === key ? byDefault : value, key };
}

function given(options, key) {
  return options[key] !== undefined && options[key] !== null && options[key] !== '';
}

function dashed(key) {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Checks the options and returns the model of the provider: names, signature, where the delivery id,
 * event type and subject come from, the handled events. Throws GeneratorOptionError.
 */
function providerModel(options, existingProviders = []) {
  const problem = nameProblem(options.name, existingProviders);
  if (problem) throw new GeneratorOptionError(problem);
  if (given(options, 'sourceRoot') && options.sourceRoot.replace(/\/$/, '') !== 'src') {
    throw new GeneratorOptionError(`providers live in src/providers/: the source root must be src, not ${options.sourceRoot}`);
  }
  const name = options.name;
  const parts = words(name);
  const pascal = parts.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  const camel = pascal[0].toLowerCase() + pascal.slice(1);
  const constant = parts.join('_').toUpperCase();
  if (given(options, 'title') && !TITLE.test(options.title)) throw new GeneratorOptionError(`--title "${options.title}" may hold letters, digits, spaces and . & + - only`);
  const title = given(options, 'title') ? options.title.trim() : titleOf(name);
  const headerWords = title.split(/\s+/).join('-');

  const scheme = options.scheme ?? 'hmac';
  if (!(scheme in SCHEME_OPTIONS)) throw new GeneratorOptionError(`--scheme must be hmac, timestamped-hmac or standard-webhooks, not "${scheme}"`);
  for (const key of SCHEME_ONLY) {
    if (given(options, key) && !SCHEME_OPTIONS[scheme].includes(key)) {
      const owners = Object.keys(SCHEME_OPTIONS).filter((s) => SCHEME_OPTIONS[s].includes(key));
      throw new GeneratorOptionError(`--${dashed(key)} applies to --scheme ${owners.join(' or ')}, not ${scheme}${scheme === 'standard-webhooks' ? ' (its headers are webhook-id, webhook-timestamp and webhook-signature)' : ''}`);
    }
  }
  const signature = { scheme };
  const defaults = { header: `X-${headerWords}-Signature`, idHeader: `X-${headerWords}-Delivery` };
  if (scheme !== 'standard-webhooks') signature.header = header(given(options, 'header') ? options.header : defaults.header, 'header', defaults.header);
  if (scheme === 'hmac') {
    const encoding = options.encoding ?? 'hex';
    if (encoding !== 'hex' && encoding !== 'base64') throw new GeneratorOptionError(`--encoding must be hex or base64, not "${encoding}"`);
    const prefix = options.prefix ?? '';
    if (!PREFIX.test(prefix)) throw new GeneratorOptionError(`--prefix "${prefix}" may hold printable characters only, without spaces, quotes or backslashes (e.g. sha256=)`);
    Object.assign(signature, { encoding, prefix });
  }
  if (scheme === 'timestamped-hmac') {
    const tolerance = options.tolerance ?? 300;
    if (!Number.isInteger(tolerance) || tolerance < 1 || tolerance > 3600) throw new GeneratorOptionError(`--tolerance must be a whole number of seconds from 1 to 3600, not ${options.tolerance}`);
    const signatureScheme = options.signatureScheme ?? 'v1';
    if (!SIGNATURE_SCHEME.test(signatureScheme)) throw new GeneratorOptionError(`--signature-scheme "${signatureScheme}" must be lower-case letters and digits, e.g. v1 or v0`);
    const signedContent = options.signedContent ?? '{timestamp}.{body}';
    if (!SIGNED_CONTENT.test(signedContent) || signedContent.split('{body}').length !== 2 || !signedContent.includes('{timestamp}') || /\{(?!scheme\}|timestamp\}|body\})/.test(signedContent)) {
      throw new GeneratorOptionError(`--signed-content "${signedContent}" must name {timestamp} and {body} once (and may name {scheme}), e.g. {timestamp}.{body} or {scheme}:{timestamp}:{body}`);
    }
    Object.assign(signature, {
      timestampHeader: given(options, 'timestampHeader') ? header(options.timestampHeader, 'timestamp-header') : null,
      signatureScheme,
      signedContent,
      tolerance,
    });
  }

  const source = (headerKey, fieldKey, what, defaults) => {
    if (given(options, headerKey) && given(options, fieldKey)) throw new GeneratorOptionError(`give --${dashed(headerKey)} or --${dashed(fieldKey)}, not both: the ${what} comes from one place`);
    if (given(options, headerKey)) return { header: header(options[headerKey], dashed(headerKey), defaults[headerKey]) };
    if (given(options, fieldKey)) return { field: fieldPath(options[fieldKey], dashed(fieldKey)) };
    return defaults;
  };
  if (scheme === 'standard-webhooks' && (given(options, 'idHeader') || given(options, 'idField'))) {
    throw new GeneratorOptionError('standard-webhooks signs its delivery id: it is the webhook-id header, so --id-header and --id-field do not apply');
  }
  const id = source('idHeader', 'idField', 'delivery id', { header: header(scheme === 'standard-webhooks' ? 'webhook-id' : defaults.idHeader, 'id-header') });
  const type = source('typeHeader', 'typeField', 'event type', { field: fieldPath('type', 'type-field') });
  const subject = given(options, 'subjectField') ? { field: fieldPath(options.subjectField, 'subject-field') } : null;
  const signed = [signature.header?.key, signature.timestampHeader?.key, scheme === 'standard-webhooks' ? 'webhook-signature' : undefined];
  for (const [what, from] of [['delivery id', id], ['event type', type]]) {
    if (from.header && signed.includes(from.header.key) && !(scheme === 'standard-webhooks' && from.header.key === 'webhook-id')) {
      throw new GeneratorOptionError(`the ${what} cannot be read from ${from.header.display}: that header carries the signature`);
    }
  }
  const paths = [id.field, type.field, subject?.field].filter(Boolean).map((f) => f.path);
  for (const a of paths) {
    for (const b of paths) {
      if (a !== b && b.startsWith(`${a}.`)) throw new GeneratorOptionError(`the payload fields ${a} and ${b} overlap: ${a} would have to be both a value and an object`);
    }
  }
  if (id.field && type.field && id.field.path === type.field.path) throw new GeneratorOptionError(`the delivery id and the event type cannot both be the payload's ${id.field.path}`);

  const events = given(options, 'events')
    ? [...new Set(String(options.events).split(',').map((e) => e.trim()).filter(Boolean))]
    : [];
  for (const event of events) {
    if (!EVENT_TYPE.test(event) || event.length > 200) throw new GeneratorOptionError(`--events: "${event}" is not an event type (letters, digits and . _ : / -)`);
  }

  const model = {
    name,
    title,
    pascal,
    camel,
    constant,
    secretVariable: `${constant}_WEBHOOK_SECRET`,
    signature,
    id,
    type,
    subject,
    events,
    // The event the fixture and the tests send: the first handled one.
    sampleEvent: events[0] ?? 'example.created',
    files: {
      config: `${name}.config.ts`,
      definition: `${name}-webhook.provider.ts`,
      payloadSchema: `${name}-payload.schema.ts`,
      agent: `${name}-event.agent.ts`,
      handler: `${name}-event.handler.ts`,
      deliveries: `testing/${name}-deliveries.ts`,
      e2e: `${name}-ingest.e2e-spec.ts`,
      demoSample: 'demo-sample.mjs',
      fixture: `fixtures/${(events[0] ?? 'example.created').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.json`,
    },
  };
  model.command = commandOf(model, defaults);
  return model;
}

/**
 * The shortest command that generates this provider: the options that differ from the defaults, so
 * that equivalent invocations write the same files (and a second run finds them identical).
 */
function commandOf(model, defaults) {
  const s = model.signature;
  const options = [];
  const add = (option, value) => options.push(`--${option} ${/^[A-Za-z0-9._:/=,-]+$/.test(String(value)) ? value : `'${value}'`}`);
  if (s.scheme !== 'hmac') add('scheme', s.scheme);
  if (s.header && s.header.key !== defaults.header.toLowerCase()) add('header', s.header.display);
  if (s.scheme === 'hmac' && s.encoding !== 'hex') add('encoding', s.encoding);
  if (s.prefix) add('prefix', s.prefix);
  if (s.timestampHeader) add('timestamp-header', s.timestampHeader.display);
  if (s.signatureScheme && s.signatureScheme !== 'v1') add('signature-scheme', s.signatureScheme);
  if (s.signedContent && s.signedContent !== '{timestamp}.{body}') add('signed-content', s.signedContent);
  if (s.tolerance && s.tolerance !== 300) add('tolerance', s.tolerance);
  if (model.id.field) add('id-field', model.id.field.path);
  else if (s.scheme !== 'standard-webhooks' && model.id.header.key !== defaults.idHeader.toLowerCase()) add('id-header', model.id.header.display);
  if (model.type.header) add('type-header', model.type.header.display);
  else if (model.type.field.path !== 'type') add('type-field', model.type.field.path);
  if (model.subject) add('subject-field', model.subject.field.path);
  if (model.events.length) add('events', model.events.join(','));
  if (model.title !== titleOf(model.name)) add('title', model.title);
  return ['npm run generate:provider --', model.name, ...options].join(' ');
}

module.exports = { GeneratorOptionError, RESERVED_NAMES, nameProblem, providerModel, titleOf };
