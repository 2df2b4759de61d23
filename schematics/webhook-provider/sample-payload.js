'use strict';
// The payload the fixture and the test deliveries carry: the configured fields (event type,
// delivery id, subject) where the options put them, and a `data` object with a value unique to
// each delivery (its marker), so a test can find that delivery in what the agent was sent.

const { tree } = require('./field-path.js');

/** The top-level key of the example content: one no configured field uses. */
function contentKey(model) {
  const used = [model.id.field, model.type.field, model.subject?.field].filter(Boolean).map((f) => f.segments[0]);
  return ['data', 'example', 'sample_data'].find((k) => !used.includes(k));
}

/**
 * The payload's tree; `values` gives each leaf: { type, deliveryId, subject, marker } as code
 * (the deliveries' builder) or as data (the fixture).
 */
function samplePayload(model, values) {
  const entries = [];
  if (model.type.field) entries.push({ segments: model.type.field.segments, leaf: values.type });
  if (model.id.field) entries.push({ segments: model.id.field.segments, leaf: values.deliveryId });
  if (model.subject) entries.push({ segments: model.subject.field.segments, leaf: values.subject });
  entries.push({ segments: [contentKey(model), 'id'], leaf: values.marker });
  return tree(entries);
}

module.exports = { contentKey, samplePayload };
