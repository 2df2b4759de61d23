'use strict';
// demo-sample.mjs: the delivery `npm run demo` (scripts/demo.mjs) sends to /webhooks/<name>, signed as
// the sender signs it. Plain JavaScript with node:crypto only: the demo runs with node, no build.

const { render } = require('../field-path.js');
const { samplePayload } = require('../sample-payload.js');
const { signatureSummary } = require('../prose.js');

/** The event type the demo sends: one the handler does not take (recorded IGNORED) when it takes only some. */
function demoEvent(model) {
  if (!model.events.length) return model.sampleEvent;
  let type = 'hookwise.demo';
  while (model.events.includes(type)) type += '.sample';
  return type;
}

/** The signed text as a template literal: `${timestamp}.${body}`. */
function signedContentLiteral(signature) {
  const parts = signature.signedContent.replaceAll('{scheme}', signature.signatureScheme).split(/(\{timestamp\}|\{body\})/);
  return `\`${parts.map((part) => (part === '{timestamp}' ? '${timestamp}' : part === '{body}' ? '${body}' : part)).join('')}\``;
}

/** The lines computing the signature, and the headers carrying it. */
function signing(model) {
  const s = model.signature;
  if (s.scheme === 'hmac') {
    const digest = "createHmac('sha256', secret).update(body).digest('" + s.encoding + "')";
    return { code: [], headers: [`'${s.header.key}': ${s.prefix ? `\`${s.prefix}\${${digest}}\`` : digest}`] };
  }
  if (s.scheme === 'timestamped-hmac') {
    const value = s.timestampHeader ? `\`${s.signatureScheme}=\${digest}\`` : `\`t=\${timestamp},${s.signatureScheme}=\${digest}\``;
    return {
      code: [`  const digest = createHmac('sha256', secret).update(${signedContentLiteral(s)}).digest('hex');`],
      headers: [...(s.timestampHeader ? [`'${s.timestampHeader.key}': String(timestamp)`] : []), `'${s.header.key}': ${value}`],
    };
  }
  return {
    code: [
      "  // Standard Webhooks: HMAC-SHA256 keyed by the base64 after whsec_, over id.timestamp.body, in base64.",
      "  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');",
      "  const signature = createHmac('sha256', key).update(`${deliveryId}.${timestamp}.${body}`).digest('base64');",
    ],
    headers: ["'webhook-id': deliveryId", "'webhook-timestamp': String(timestamp)", "'webhook-signature': `v1,${signature}`"],
  };
}

module.exports = function demoSample(model) {
  const type = demoEvent(model);
  const sign = signing(model);
  const timestamped = model.signature.scheme !== 'hmac';
  const payload = render(samplePayload(model, { type: 'type', deliveryId: 'deliveryId', subject: "'demo-subject-1'", marker: "'hookwise-demo'" }), {
    object: (body) => body,
    leaf: (code) => code,
    indent: 2,
  })
    .replace(/(\n\s+)type: type,/, '$1type,')
    .replace(/(\n\s+)deliveryId: deliveryId,/, '$1deliveryId,');
  const headers = [
    "'content-type': 'application/json'",
    ...(model.id.header && model.signature.scheme !== 'standard-webhooks' ? [`'${model.id.header.key}': deliveryId`] : []),
    ...(model.type.header ? [`'${model.type.header.key}': type`] : []),
    ...sign.headers,
  ];
  const why = model.events.length
    ? `An event of type \`${type}\`: no handler takes it (${model.files.handler} takes ${model.events.join(', ')}), so it is
// recorded and IGNORED and nothing acts on it.`
    : `An event of type \`${type}\`: ${model.files.handler} takes every type and asks its agent for a summary (no
// tools, so nothing acts; recorded IGNORED while ANTHROPIC_API_KEY is unset). When the handler gains a
// side effect, send a type it does not take here, so that the demo stays safe to run.`;
  return `// The delivery \`npm run demo\` sends to /webhooks/${model.name} (scripts/demo.mjs finds this file; plain
// JavaScript so that the demo runs with node on a fresh clone, no build).
// ${why}
import { createHmac, randomUUID } from 'node:crypto';

/** The variable holding the secret this provider verifies with (the demo signs with its first entry). */
export const secretVariable = '${model.secretVariable}';

/** A delivery signed as ${model.title} signs: ${signatureSummary(model)}. */
export function demoDelivery(secret) {
  const type = '${type}';
  const deliveryId = \`evt_demo_\${randomUUID()}\`;
${timestamped ? '  const timestamp = Math.floor(Date.now() / 1000);\n' : ''}  const body = JSON.stringify(${payload});
${sign.code.map((line) => `${line}\n`).join('')}  return {
    body,
    headers: {
${headers.map((h) => `      ${h},`).join('\n')}
    },
  };
}
`;
};
