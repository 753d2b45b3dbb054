export * from './dataset.commands.js';
export * from './dataset.decider.js';
export * from './dataset.queries.js';
export * from './huggingface-name.js';
export * from './datasets.errors.js';
export * from './dataset.events.js';
