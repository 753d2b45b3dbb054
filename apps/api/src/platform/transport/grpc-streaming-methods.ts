import loader from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import { GRPC_LOADER_OPTIONS } from './grpc-loader-options.js';

let streaming: ReadonlySet<string> | undefined;

/**
 * The service's server-streaming methods (WatchEvents, WatchJob, GetJobLogs),
 * read from the .proto once. The call object cannot tell: grpc-js hands
 * unary handlers a writable stream too.
 */
export function serverStreamingMethods(): ReadonlySet<string> {
  if (!streaming) {
    const methods = loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS)[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as Record<string, { responseStream?: boolean }>;
    streaming = new Set(Object.entries(methods).filter(([, m]) => m.responseStream).map(([name]) => name));
  }
  return streaming;
}
