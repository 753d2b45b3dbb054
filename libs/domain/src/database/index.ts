// The Python-compatible writer's low-level helpers stay internal (configs/ has its own pyFloatRepr).
export { PyFloat, pythonJsonDumps, type PyJson } from './python-json.js';
export * from './database-export.js';
export * from './import-document.js';
export * from './import.decider.js';
