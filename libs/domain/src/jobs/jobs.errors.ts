import { invalidArgument, notFound } from '../shared/domain-error.js';

/** The errors of the jobs area that more than one place raises, each code and wording defined once (spec/behaviour.md §1). */
export const fineTuningJobNotFound = (id: string) =>
  notFound('FINE_TUNING_JOB.NOT_FOUND', `Fine Tuning Job with ID '${id}' does not exist.`);
export const evaluationJobNotFound = (id: string) =>
  notFound('EVALUATION_JOB.NOT_FOUND', `Evaluation Job with ID '${id}' does not exist.`);
export const evaluationFractionInvalid = () =>
  invalidArgument('EVALUATION.FRACTION_INVALID', 'Evaluation dataset fraction must be between 0 and 1.');
