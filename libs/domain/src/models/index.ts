export * from './model.commands.js';
export * from './model.decider.js';
export * from './models.errors.js';
export * from './model.events.js';
