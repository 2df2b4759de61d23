'use strict';
// <name>-payload.schema.ts: the fields the provider reads, in zod; everything else is stored as received.

const { key, tree } = require('../field-path.js');

/** The zod schema's fields: the delivery id, event type and subject fields the definition reads. */
function payloadFields(model) {
  const entries = [];
  if (model.type.field) {
    entries.push({ segments: model.type.field.segments, leaf: { zod: `z.string().trim().min(1).max(200).describe('The event type, e.g. ${model.sampleEvent}.')` } });
  }
  if (model.id.field) {
    entries.push({
      segments: model.id.field.segments,
      leaf: { zod: "z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).describe('The delivery id: the same on every retry of a delivery.')" },
    });
  }
  if (model.subject) {
    entries.push({
      segments: model.subject.field.segments,
      leaf: { zod: "z.union([z.string().trim().min(1).max(500), z.number()]).nullish().describe('What the event is about; agents see its recent events.')", optional: true },
    });
  }
  return entries;
}

function onlyOptional(node) {
  return [...node.values()].every((child) => (child instanceof Map ? onlyOptional(child) : child.leaf.optional));
}

/** Renders nested z.looseObject()s; an object that holds only optional fields is optional itself. */
function zodOf(node, indent) {
  const pad = ' '.repeat(indent + 2);
  const members = [...node].map(([segment, child]) => {
    const value = child instanceof Map ? `${zodOf(child, indent + 2)}${onlyOptional(child) ? '.optional()' : ''}` : child.leaf.zod;
    return `${pad}${key(segment)}: ${value},`;
  });
  return members.length ? `z.looseObject({\n${members.join('\n')}\n${' '.repeat(indent)}})` : 'z.looseObject({})';
}

module.exports = function payloadSchema(model) {
  const schema = zodOf(tree(payloadFields(model)), 0);
  return `import { z } from 'zod';

// What Hookwise reads of a ${model.title} delivery. Everything else is stored as received; declare here
// the fields your handler relies on, so that a delivery without them is refused (400 invalid_payload)
// rather than failing in the handler.

/** A delivery to POST /webhooks/${model.name}. */
export const ${model.camel}PayloadSchema = ${schema};
export type ${model.pascal}Payload = z.infer<typeof ${model.camel}PayloadSchema>;
`;
};
