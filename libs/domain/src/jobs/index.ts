export * from './job.commands.js';
export * from './jobs.errors.js';
export * from './job.queries.js';
export * from './job.projection.js';
export * from './axolotl-prompt.js';
export * from './fine-tuning-job.decider.js';
export * from './evaluation-job.decider.js';
export * from './job.events.js';
