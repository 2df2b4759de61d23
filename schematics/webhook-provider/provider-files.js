'use strict';
// Every file of a generated provider, by path inside src/providers/<name>/.

const agent = require('./files/agent.js');
const config = require('./files/config.js');
const definition = require('./files/definition.js');
const deliveries = require('./files/deliveries.js');
const demoSample = require('./files/demo-sample.js');
const e2eSpec = require('./files/e2e-spec.js');
const fixture = require('./files/fixture.js');
const handler = require('./files/handler.js');
const indexFile = require('./files/index-file.js');
const payloadSchema = require('./files/payload-schema.js');
const readme = require('./files/readme.js');

function providerFiles(model) {
  const f = model.files;
  return {
    'README.md': readme(model),
    'index.ts': indexFile(model),
    [f.config]: config(model),
    [f.definition]: definition(model),
    [f.payloadSchema]: payloadSchema(model),
    [f.agent]: agent(model),
    [f.handler]: handler(model),
    [f.fixture]: fixture(model),
    [f.deliveries]: deliveries(model),
    [f.e2e]: e2eSpec(model),
    [f.demoSample]: demoSample(model),
  };
}

module.exports = { providerFiles };
