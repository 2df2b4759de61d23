'use strict';

/** An option the generator refuses; its message says what to pass instead. */
class GeneratorOptionError extends Error {}

module.exports = { GeneratorOptionError };
