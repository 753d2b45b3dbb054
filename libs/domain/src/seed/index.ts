export * from './seed.defaults.js';
export * from './seed.decider.js';
