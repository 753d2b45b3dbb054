import { notFound } from '../shared/domain-error.js';

/** The original's wording for references that point at nothing (spec/behaviour.md §1). */
export const modelNotFound = (id: string) => notFound('MODEL.NOT_FOUND', `Model with ID '${id}' does not exist.`);
export const datasetNotFound = (id: string) => notFound('DATASET.NOT_FOUND', `Dataset with ID '${id}' does not exist.`);
export const promptNotFound = (id: string) => notFound('PROMPT.NOT_FOUND', `Prompt with ID '${id}' does not exist.`);
export const adapterNotFound = (id: string) => notFound('ADAPTER.NOT_FOUND', `Adapter with ID '${id}' does not exist.`);
export const fineTuningJobNotFound = (id: string) =>
  notFound('FINE_TUNING_JOB.NOT_FOUND', `Fine Tuning Job with ID '${id}' does not exist.`);
export const evaluationJobNotFound = (id: string) =>
  notFound('EVALUATION_JOB.NOT_FOUND', `Evaluation Job with ID '${id}' does not exist.`);
