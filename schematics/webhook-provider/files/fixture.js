'use strict';
// fixtures/<event>.json: a sample delivery's payload, for the README and for trying the endpoint with curl.

const { toJson } = require('../field-path.js');
const { samplePayload } = require('../sample-payload.js');

module.exports = function fixture(model) {
  const payload = samplePayload(model, { type: model.sampleEvent, deliveryId: 'evt_01JEXAMPLE0000000000000000', subject: 'example-subject-1', marker: 'example_0123456789ab' });
  return `${JSON.stringify(toJson(payload), null, 2)}\n`;
};
