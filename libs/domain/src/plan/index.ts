export * from './sha256.js';
export * from './split.js';
export * from './python-format.js';
export * from './training-text.js';
export * from './steps.js';
export * from './stats.js';
export * from './memory.js';
export * from './fine-tuning-plan.js';
