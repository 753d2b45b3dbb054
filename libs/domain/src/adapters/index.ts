export * from './adapter.commands.js';
export * from './adapter.decider.js';
export * from './adapters.errors.js';
export * from './adapter.events.js';
