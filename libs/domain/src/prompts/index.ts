export * from './prompt.commands.js';
export * from './prompt.decider.js';
export * from './prompt.slots.js';
export * from './prompts.errors.js';
export * from './prompt.events.js';
