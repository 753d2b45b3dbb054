export * from './adapter-comparison.commands.js';
export * from './comparisons.errors.js';
export * from './adapter-comparison.decider.js';
export * from './adapter-comparison.projection.js';
export * from './adapter-comparison.queries.js';
export * from './adapter-comparison.events.js';
