import { alreadyExists, invalidArgument, notFound } from '../shared/domain-error.js';

/** Every error of the datasets area, each code and wording defined once (the original's wording, spec/behaviour.md §1). */
export const datasetNotFound = (id: string) => notFound('DATASET.NOT_FOUND', `Dataset with ID '${id}' does not exist.`);
export const datasetNameBlank = () => invalidArgument('DATASET.NAME_BLANK', 'Dataset name cannot be an empty string or only spaces.');
export const datasetNameTaken = (name: string, type: string) =>
  alreadyExists('DATASET.NAME_TAKEN', `Dataset with name '${name}' of type ${type} already exists.`);
export const datasetWrongSuffix = (location: string, suffixes: string) =>
  invalidArgument('DATASET.WRONG_SUFFIX', `Dataset ${location} does not end with ${suffixes}`);
export const datasetTypeUnsupported = (type: string) => invalidArgument('DATASET.TYPE_UNSUPPORTED', `Dataset of type '${type}' is not supported.`);
