/** Python-compatible values: numbers, ordered objects, json.dumps, JCS. */
export * from './py-float.js';
export * from './py-value.js';
export * from './py-json.js';
export * from './jcs.js';
