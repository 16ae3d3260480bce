/**
 * Former home of the built-in suite loaders, now part of the one composition root
 * (`./registry.ts`, where each domain's registration carries its built-in suite). Re-exported
 * here only for modules still importing this path; import from `./registry.js`.
 */
export { isBuiltinData, loadBuiltinSuite, type BuiltinSuite } from './registry.js';
