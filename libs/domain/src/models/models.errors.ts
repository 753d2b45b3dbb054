import { notFound } from '../shared/domain-error.js';

/** The errors of the models area that more than one place raises, each code and wording defined once. */
export const modelNotFound = (id: string) => notFound('MODEL.NOT_FOUND', `Model with ID '${id}' does not exist.`);
