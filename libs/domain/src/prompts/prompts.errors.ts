import { alreadyExists, invalidArgument, notFound } from '../shared/domain-error.js';

/** Every error of the prompts area, each code and wording defined once. */
export const promptNotFound = (id: string) => notFound('PROMPT.NOT_FOUND', `Prompt with ID '${id}' does not exist.`);
export const promptNameBlank = () => invalidArgument('PROMPT.NAME_BLANK', 'Prompt name cannot be an empty string or only spaces.');
export const promptNameTaken = (name: string) => alreadyExists('PROMPT.NAME_TAKEN', `Prompt name '${name}' already exists.`);
export const promptIdTaken = (id: string) => alreadyExists('PROMPT.ID_TAKEN', `Prompt with ID '${id}' already exists.`);
