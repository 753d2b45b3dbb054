// Python compatibility: values as Python's json/yaml see them, and text byte-identical to json.dumps / PyYAML's yaml.dump.
export * from './py-value.js';
export * from './py-json.js';
export * from './py-yaml.js';
