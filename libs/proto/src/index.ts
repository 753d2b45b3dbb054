import { fileURLToPath } from 'node:url';

export * from './generated/fine_tuning_studio.js';

/** Absolute path of the .proto file the gRPC server and clients load. */
export const PROTO_PATH = fileURLToPath(new URL('../fine_tuning_studio.proto', import.meta.url));
export const PROTO_PACKAGE = 'fine_tuning_studio';
export const SERVICE_NAME = 'FineTuningStudio';
