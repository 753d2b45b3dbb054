/**
 * @fts/client — a typed, promise-based client of the Fine Tuning Studio gRPC service.
 *
 *   import { FineTuningStudioClient, ModelType } from '@fts/client';
 *   const fts = new FineTuningStudioClient();
 *   const datasets = await fts.getDatasets();
 */
export { FineTuningStudioClient, DEFAULT_HOST, DEFAULT_PORT, LOADER_OPTIONS, rpcs } from './client.js';
export type { ClientOptions, CallOptions, WaitOptions, RpcInfo } from './client.js';
export { FtsError, JobWaitTimeoutError, Status, statusName } from './errors.js';
export * from './types.js';
export type * from '@fts/proto';
