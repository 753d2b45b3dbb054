export * from './config.commands.js';
export * from './config.content.js';
export * from './config.decider.js';
export * from './config.queries.js';
export * from './configs.errors.js';
export * from './config.events.js';
