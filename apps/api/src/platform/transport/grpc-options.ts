import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { ChannelOptions, ServerInterceptor } from '@grpc/grpc-js';
import type { Options } from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH } from '@fts/proto';
import { acceptEncodedResponses } from './list-response-cache.js';

/** keepCase: fields stay snake_case, as in the .proto and the tables; defaults: unset fields read as ''/0/false. */
export const GRPC_LOADER_OPTIONS: Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

/** Request size bound: an import file is the largest legitimate message. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The one place that names the package, the .proto file and the loader options; `interceptors` see every call first. */
export function grpcOptions(url: string, interceptors: ServerInterceptor[] = []): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: PROTO_PACKAGE,
      protoPath: PROTO_PATH,
      url,
      loader: GRPC_LOADER_OPTIONS,
      onLoadPackageDefinition: (definition) => acceptEncodedResponses(definition),
      maxReceiveMessageLength: MAX_MESSAGE_BYTES,
      maxSendMessageLength: MAX_MESSAGE_BYTES,
      // Nest hands channelOptions to `new Server()`, whose ServerOptions take `interceptors`.
      channelOptions: { interceptors } as ChannelOptions,
    },
  };
}
