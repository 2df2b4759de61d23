'use strict';
// <name>-webhook.provider.ts: how a delivery is verified (one of the core's shared schemes,
// configured) and read (delivery id, event type, subject).

const { accessor, optionalAccessor } = require('../field-path.js');
const { signatureSummary, sourceSummary, verifierClass } = require('../prose.js');

function verifier(model) {
  const s = model.signature;
  const secrets = `secretList(config.${model.secretVariable})`;
  if (s.scheme === 'standard-webhooks') return `new StandardWebhooksVerifier(${secrets})`;
  if (s.scheme === 'hmac') {
    return `new HmacSignatureVerifier(${secrets}, { header: '${s.header.key}', encoding: '${s.encoding}'${s.prefix ? `, prefix: '${s.prefix}'` : ''} })`;
  }
  return [
    `new TimestampedHmacVerifier(${secrets}, {`,
    `      signatureHeader: '${s.header.key}',`,
    ...(s.timestampHeader ? [`      timestampHeader: '${s.timestampHeader.key}',`] : []),
    `      scheme: '${s.signatureScheme}',`,
    `      signedContent: '${s.signedContent}',`,
    `      toleranceSeconds: ${s.tolerance},`,
    '    })',
  ].join('\n');
}

function storedHeaders(model) {
  const s = model.signature;
  const headers = [model.id.header?.key, model.type.header?.key, s.scheme === 'standard-webhooks' ? 'webhook-timestamp' : s.timestampHeader?.key, 'user-agent', 'content-type'];
  return [...new Set(headers.filter(Boolean))];
}

/** Reads a header into `variable`, refusing the delivery (400 `code`) without it. */
function headerRead(variable, header, code) {
  return [
    `    const ${variable} = typeof headers['${header.key}'] === 'string' ? headers['${header.key}'].trim() : '';`,
    `    if (!${variable}) throw new InvalidDeliveryError('${code}', 'the ${header.display} header is missing');`,
  ];
}

/** Import names sorted as the hand-written files sort them: by name, `type` aside, case-insensitively. */
function byName(a, b) {
  const name = (s) => s.replace(/^type /, '').toLowerCase();
  return name(a) < name(b) ? -1 : 1;
}

module.exports = function definition(model) {
  const readsHeaders = Boolean(model.id.header || model.type.header);
  const verifierName = verifierClass(model);
  const body = [];
  if (model.id.header) body.push(...headerRead('deliveryId', model.id.header, 'missing_delivery_id'));
  if (model.type.header) body.push(...headerRead('eventType', model.type.header, 'missing_event_type'));
  body.push(
    `    const result = ${model.camel}PayloadSchema.safeParse(payload);`,
    '    if (!result.success) {',
    "      const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);",
    "      throw new InvalidDeliveryError('invalid_payload', problems.join('; '));",
    '    }',
  );
  const subject = model.subject ? optionalAccessor('result.data', model.subject.field) : null;
  if (subject) body.push(`    const subject = ${subject};`);
  const members = [
    model.id.header ? 'deliveryId' : `deliveryId: String(${accessor('result.data', model.id.field)})`,
    model.type.header ? 'eventType' : `eventType: ${accessor('result.data', model.type.field)}`,
    subject ? 'subject: subject == null ? null : String(subject)' : 'subject: null',
  ];
  body.push(`    return { ${members.join(', ')} };`);

  const lines = [
    "import { Inject, Injectable } from '@nestjs/common';",
    ...(readsHeaders ? ["import type { IncomingHttpHeaders } from 'node:http';"] : []),
    "import { secretList } from '../../config/load-config.js';",
    `import { ${['type DeliveryDescription', 'InvalidDeliveryError', verifierName, 'WebhookProviderDefinition'].sort(byName).join(', ')} } from '../../core/index.js';`,
    `import { ${model.camel}PayloadSchema } from './${model.name}-payload.schema.js';`,
    `import { ${model.pascal}Config } from './${model.name}.config.js';`,
    '',
    `export const ${model.constant} = '${model.name}';`,
    '',
    `/** ${model.title} webhooks: ${signatureSummary(model)}; delivery id in ${sourceSummary(model.id)}, event type in ${sourceSummary(model.type)}. */`,
    '@Injectable()',
    '@WebhookProviderDefinition()',
    `export class ${model.pascal}WebhookProvider implements WebhookProviderDefinition {`,
    `  readonly name = ${model.constant};`,
    `  readonly secretVariable = '${model.secretVariable}';`,
    `  readonly storedHeaders = [${storedHeaders(model).map((h) => `'${h}'`).join(', ')}] as const;`,
    `  readonly verifier: ${verifierName};`,
    '',
    `  constructor(@Inject(${model.pascal}Config) config: ${model.pascal}Config) {`,
    `    this.verifier = ${verifier(model)};`,
    '  }',
    '',
    `  describe(payload: unknown${readsHeaders ? ', headers: IncomingHttpHeaders' : ''}): DeliveryDescription {`,
    ...body,
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
};
