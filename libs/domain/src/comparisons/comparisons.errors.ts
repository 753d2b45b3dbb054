import { invalidArgument, notFound } from '../shared/domain-error.js';

export const adapterComparisonNotFound = (id: string) =>
  notFound('ADAPTER_COMPARISON.NOT_FOUND', `Adapter comparison with ID '${id}' does not exist.`);

export const adapterOfAnotherModel = (adapterId: string, adapterModelId: string, baseModelId: string) =>
  invalidArgument(
    'ADAPTER_COMPARISON.ADAPTER_MODEL_MISMATCH',
    `Adapter '${adapterId}' was trained for model '${adapterModelId}', not for the base model '${baseModelId}'; compare adapters of the same base model.`,
  );
