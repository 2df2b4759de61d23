'use strict';
// testing/<name>-deliveries.ts: deliveries signed as the sender signs them (node:crypto for the HMAC
// schemes, the standardwebhooks package for Standard Webhooks), and a POST helper.

const { render } = require('../field-path.js');
const { samplePayload } = require('../sample-payload.js');
const { signatureSummary } = require('../prose.js');

/** The signed text as a template literal: `${timestamp}.${body}`. */
function signedContentLiteral(signature) {
  const parts = signature.signedContent.replaceAll('{scheme}', signature.signatureScheme).split(/(\{timestamp\}|\{body\})/);
  return `\`${parts.map((part) => (part === '{timestamp}' ? '${timestamp}' : part === '{body}' ? '${body}' : part)).join('')}\``;
}

function signer(model) {
  const s = model.signature;
  const secret = `TEST_${model.constant}_SECRET`;
  const how = `/** Signs as ${model.title} does: ${signatureSummary(model)}. */`;
  if (s.scheme === 'hmac') {
    return {
      imports: ["import { createHmac, randomBytes, randomUUID } from 'node:crypto';"],
      secret: `'test-${model.name}-secret-do-not-log'`,
      fn: `${how}\nexport function ${model.camel}Signature(body: string, secret = ${secret}): string {\n  const digest = createHmac('sha256', secret).update(body).digest('${s.encoding}');\n  return ${s.prefix ? `\`${s.prefix}\${digest}\`` : 'digest'};\n}`,
      headers: [`'${s.header.key}': ${model.camel}Signature(body, options.secret)`],
      timestamp: false,
    };
  }
  if (s.scheme === 'timestamped-hmac') {
    const value = s.timestampHeader ? `\`${s.signatureScheme}=\${digest}\`` : `\`t=\${timestamp},${s.signatureScheme}=\${digest}\``;
    return {
      imports: ["import { createHmac, randomBytes, randomUUID } from 'node:crypto';"],
      secret: `'test-${model.name}-secret-do-not-log'`,
      fn: `${how}\nexport function ${model.camel}Signature(body: string, timestamp: number, secret = ${secret}): string {\n  const digest = createHmac('sha256', secret).update(${signedContentLiteral(s)}).digest('hex');\n  return ${value};\n}`,
      headers: [
        ...(s.timestampHeader ? [`'${s.timestampHeader.key}': String(timestamp)`] : []),
        `'${s.header.key}': ${model.camel}Signature(body, timestamp, options.secret)`,
      ],
      timestamp: true,
    };
  }
  return {
    imports: ["import { randomBytes, randomUUID } from 'node:crypto';", "import { Webhook } from 'standardwebhooks';"],
    secret: `\`whsec_\${Buffer.from('${model.name}-test-secret-do-not-log').toString('base64')}\``,
    fn: `/** Signs with the \`standardwebhooks\` package, as a Standard Webhooks sender does. */\nexport function ${model.camel}Signature(deliveryId: string, timestamp: number, body: string, secret = ${secret}): string {\n  return new Webhook(secret).sign(deliveryId, new Date(timestamp * 1000), body);\n}`,
    headers: [
      "'webhook-id': deliveryId",
      "'webhook-timestamp': String(timestamp)",
      `'webhook-signature': ${model.camel}Signature(deliveryId, timestamp, body, options.secret)`,
    ],
    timestamp: true,
  };
}

module.exports = function deliveries(model) {
  const sign = signer(model);
  const secret = `TEST_${model.constant}_SECRET`;
  const payload = render(samplePayload(model, { type: 'type', deliveryId: 'deliveryId', subject: "'example-subject-1'", marker: 'marker' }), {
    object: (body) => body,
    leaf: (code) => code,
    indent: 2,
  }).replace(/^\{\n/, '{\n').replace(/(\n\s+)type: type,/, '$1type,').replace(/(\n\s+)deliveryId: deliveryId,/, '$1deliveryId,').replace(/(\n\s+)marker: marker,/, '$1marker,');
  const headers = [
    "'content-type': 'application/json'",
    ...(model.id.header && model.signature.scheme !== 'standard-webhooks' ? [`'${model.id.header.key}': deliveryId`] : []),
    ...(model.type.header ? [`'${model.type.header.key}': type`] : []),
    ...sign.headers,
  ];
  const options = `{ type?: string; deliveryId?: string; secret?: string${sign.timestamp ? '; timestamp?: Date' : ''} }`;
  return `${[...sign.imports, "import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';"].join('\n')}

/** The secret the tests configure (${model.secretVariable}) and sign with. */
export const ${secret} = ${sign.secret};

${sign.fn}

export interface ${model.pascal}Delivery {
  body: string;
  headers: Record<string, string>;
  deliveryId: string;
  /** A value only this delivery's payload holds: a test finds the delivery by it (in what the agent was sent, say). */
  marker: string;
}

/**
 * A delivery (of type ${model.sampleEvent} unless \`options.type\` says otherwise) shaped like fixtures/${model.files.fixture.slice('fixtures/'.length)},
 * with a fresh delivery id and marker, signed with ${secret} (or \`options.secret\`)${sign.timestamp ? ' at `options.timestamp` (default now)' : ''}.
 */
export function ${model.camel}Delivery(options: ${options} = {}): ${model.pascal}Delivery {
  const type = options.type ?? '${model.sampleEvent}';
  const deliveryId = options.deliveryId ?? \`evt_\${randomUUID()}\`;
  const marker = \`example_\${randomBytes(6).toString('hex')}\`;
${sign.timestamp ? '  const timestamp = Math.floor((options.timestamp ?? new Date()).getTime() / 1000);\n' : ''}  const payload = ${payload};
  const body = JSON.stringify(payload);
  return {
    body,
    deliveryId,
    marker,
    headers: {
${headers.map((h) => `      ${h},`).join('\n')}
    },
  };
}

/** POSTs a delivery to /webhooks/${model.name} and returns what the endpoint answered. */
export function post${model.pascal}(baseUrl: string, delivery: Pick<${model.pascal}Delivery, 'body' | 'headers'>): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/${model.name}', delivery);
}
`;
};
