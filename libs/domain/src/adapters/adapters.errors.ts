import { alreadyExists, notFound } from '../shared/domain-error.js';

/** The errors of the adapters area that more than one place raises, each code and wording defined once. */
export const adapterNotFound = (id: string) => notFound('ADAPTER.NOT_FOUND', `Adapter with ID '${id}' does not exist.`);
export const adapterNameTaken = (name: string) => alreadyExists('ADAPTER.NAME_TAKEN', `An adapter with the name '${name}' already exists.`);
