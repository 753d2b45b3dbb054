export * from './model.commands.js';
export * from './model.decider.js';
