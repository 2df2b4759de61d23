'use strict';
// Payload fields named by dot paths (`event.type`): checked, then rendered as TypeScript: an
// accessor, nested zod objects, nested object literals.

const { GeneratorOptionError } = require('./generator-option-error.js');

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function fieldPath(value, option) {
  const segments = String(value).split('.');
  if (segments.length > 5 || !segments.every((segment) => SEGMENT.test(segment) && segment.length <= 64)) {
    throw new GeneratorOptionError(
      `--${option} "${value}" is not a payload field: a name or a dot path of names (letters, digits, _ and -), e.g. type or event.type`,
    );
  }
  return { path: segments.join('.'), segments };
}

/** A property key as written in an object literal. */
function key(segment) {
  return IDENTIFIER.test(segment) ? segment : `'${segment}'`;
}

/** `root.event.type`, or `root['event-type']`. */
function accessor(root, field) {
  return root + field.segments.map((segment) => (IDENTIFIER.test(segment) ? `.${segment}` : `['${segment}']`)).join('');
}

/** `root.data?.post?.id`: every level after the first may be absent. */
function optionalAccessor(root, field) {
  return root + field.segments.map((segment, i) => `${i === 0 ? '' : '?'}${IDENTIFIER.test(segment) ? `.${segment}` : `${i === 0 ? '' : '.'}['${segment}']`}`).join('');
}

/** A tree of nested objects from [{ segments, leaf }]; leaves are kept as given. Later entries do not overwrite earlier ones. */
function tree(entries) {
  const root = new Map();
  for (const { segments, leaf } of entries) {
    let node = root;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        if (!node.has(segment)) node.set(segment, { leaf });
        return;
      }
      if (!node.has(segment)) node.set(segment, new Map());
      node = node.get(segment);
    });
  }
  return root;
}

/**
 * Renders a tree as TypeScript: `object(lines)` wraps the members of a nested object (e.g. in
 * `z.looseObject({ … })`), `leaf(value)` renders a leaf. Indented by two spaces per level from `indent`.
 */
function render(node, { object, leaf, indent }) {
  const pad = ' '.repeat(indent + 2);
  const members = [...node].map(([segment, child]) => {
    const value = child instanceof Map ? render(child, { object, leaf, indent: indent + 2 }) : leaf(child.leaf);
    return `${pad}${key(segment)}: ${value},`;
  });
  return object(`{\n${members.join('\n')}\n${' '.repeat(indent)}}`);
}

/** The same tree as a plain JSON value (for the fixture). */
function toJson(node) {
  return Object.fromEntries([...node].map(([segment, child]) => [segment, child instanceof Map ? toJson(child) : child.leaf]));
}

module.exports = { accessor, fieldPath, key, optionalAccessor, render, toJson, tree };
