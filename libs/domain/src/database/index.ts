export * from './database-export.js';
export * from './import-document.js';
export * from './import.decider.js';
