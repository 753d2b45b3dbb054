export * from './py-value.js';
export * from './py-json.js';
export * from './py-yaml.js';
export * from './config.commands.js';
export * from './config.content.js';
export * from './config.decider.js';
export * from './config.queries.js';
