import loader from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import { GRPC_LOADER_OPTIONS } from '../platform/transport/grpc-loader-options.js';
import { encodeExportResponse } from './database.grpc.js';

describe('encodeExportResponse', () => {
  const method = (loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS)[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as Record<
    string,
    { responseSerialize: (v: unknown) => Buffer; responseDeserialize: (b: Buffer) => { exported_json: string } }
  >).ExportDatabase;

  it.each([0, 1, 127, 128, 300, 70_000, 3_000_000])('encodes a %i-byte document exactly as protobufjs does', (n) => {
    const text = 'é{"x"'.repeat(Math.ceil(n / 6)).slice(0, n);
    const bytes = Buffer.from(text, 'utf8');
    const pieces = [bytes.subarray(0, Math.floor(bytes.length / 3)), bytes.subarray(Math.floor(bytes.length / 3))];
    const encoded = encodeExportResponse(pieces).bytes;
    expect(method.responseDeserialize(encoded).exported_json).toBe(text);
    if (n > 0) expect(encoded.equals(method.responseSerialize({ exported_json: text }))).toBe(true);
  });
});
