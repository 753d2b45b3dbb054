import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { Metadata, ServerInterceptingCall, status as GrpcStatus, type ChannelOptions, type ServerInterceptor } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH } from '@fts/proto';
import { acceptEncodedResponses } from './list-response-cache.js';
import { GRPC_LOADER_OPTIONS } from './grpc-loader-options.js';
import { passLargeMessages } from './large-messages.js';

export { GRPC_LOADER_OPTIONS };

/** Request size bound: an import file is the largest legitimate message. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Marks a request whose bytes could not be decoded; its value is the message type's name. */
const UNDECODABLE = Symbol('undecodable');
type Undecodable = { [UNDECODABLE]: string };

const isUndecodable = (m: unknown): m is Undecodable => typeof m === 'object' && m !== null && UNDECODABLE in m;

/**
 * grpc-js answers a request it cannot decode with INTERNAL "Error
 * deserializing request", as if the server were at fault. Every method's
 * decoder is wrapped so that such bytes become a marker instead, and
 * `refuseUndecodable` answers it with INVALID_ARGUMENT before any handler runs.
 */
export function decodeLeniently(definition: PackageDefinition): void {
  for (const value of Object.values(definition)) {
    if (typeof value !== 'object' || value === null || 'format' in value) continue; // a message or enum type, not a service
    for (const method of Object.values(value as Record<string, { requestDeserialize?: (b: Buffer) => unknown; requestType?: { type?: { name?: string } } }>)) {
      const decode = method.requestDeserialize;
      if (typeof decode !== 'function') continue;
      const typeName = method.requestType?.type?.name ?? 'request';
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch {
          return { [UNDECODABLE]: typeName } satisfies Undecodable;
        }
      };
    }
  }
}

/** Server interceptor: an undecodable request gets INVALID_ARGUMENT with a sentence; the handler never sees it. */
export const refuseUndecodable: ServerInterceptor = (_method, call) =>
  new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMessage: (message, pass) => {
          if (!isUndecodable(message)) return pass(message);
          call.sendStatus({
            code: GrpcStatus.INVALID_ARGUMENT,
            details: `The request is not a valid ${message[UNDECODABLE]} message: its bytes could not be decoded as protobuf.`,
            metadata: new Metadata(),
          });
        },
      }),
  });

/** The one place that names the package, the .proto file and the loader options; `interceptors` see every call first. */
export function grpcOptions(url: string, interceptors: ServerInterceptor[] = []): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: PROTO_PACKAGE,
      protoPath: PROTO_PATH,
      url,
      loader: GRPC_LOADER_OPTIONS,
      onLoadPackageDefinition: (definition) => {
        acceptEncodedResponses(definition);
        passLargeMessages(definition);
        decodeLeniently(definition);
      },
      maxReceiveMessageLength: MAX_MESSAGE_BYTES,
      maxSendMessageLength: MAX_MESSAGE_BYTES,
      // Passed to the grpc-js Server constructor with the channel options; the message limit interceptor must be first (it is handed the base call).
      channelOptions: { interceptors: [...interceptors, refuseUndecodable] } as ChannelOptions,
    },
  };
}
