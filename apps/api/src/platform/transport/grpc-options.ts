import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_PACKAGE, PROTO_PATH } from '@fts/proto';

/** Request size bound: an import file is the largest legitimate message. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The one place that names the package, the .proto file and the loader options (keepCase: fields stay snake_case). */
export function grpcOptions(url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: PROTO_PACKAGE,
      protoPath: PROTO_PATH,
      url,
      loader: { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true },
      maxReceiveMessageLength: MAX_MESSAGE_BYTES,
      maxSendMessageLength: MAX_MESSAGE_BYTES,
    },
  };
}
