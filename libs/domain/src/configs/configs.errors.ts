import { notFound } from '../shared/domain-error.js';

/** The errors of the configs area that more than one place raises, each code and wording defined once. */
export const configNotFound = (id: string) => notFound('CONFIG.NOT_FOUND', `Config with ID '${id}' does not exist.`);
/** The same code, in the wording the original used for the axolotl config of a training job. */
export const axolotlConfigNotFound = (id: string) => notFound('CONFIG.NOT_FOUND', `Axolotl Config with ID '${id}' does not exist.`);
