import type { Options } from '@grpc/proto-loader';

/**
 * keepCase: fields stay snake_case, as in the .proto and the tables; defaults: unset fields read as ''/0/false.
 * Its own module so the server options and the list-response cache share it without importing each other.
 */
export const GRPC_LOADER_OPTIONS: Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };
