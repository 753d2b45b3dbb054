export * from './model-export.commands.js';
export * from './model-export.decider.js';
export * from './model-export.projection.js';
export * from './model-export.events.js';
