export * from './job.machine.js';
export * from './job-lifecycle.events.js';
export * from './job-lifecycle.decider.js';
export * from './job-lifecycle.projection.js';
