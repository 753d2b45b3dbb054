import { describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import loader from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import { GRPC_LOADER_OPTIONS } from './grpc-loader-options.js';
import { FramedFieldWriter, FramedResponse, PreallocatingDecoder, RawRequest, frameBytesField, largeMessageCall, passLargeMessages } from './large-messages.js';

type Methods = Record<string, { requestSerialize: (v: unknown) => Buffer; requestDeserialize: (b: Buffer) => unknown; responseSerialize: (v: unknown) => Buffer; responseDeserialize: (b: Buffer) => { exported_json: string } }>;
const methodsOf = (definition: loader.PackageDefinition) => definition[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as Methods;
const plain = methodsOf(loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS));

/** The gRPC prefix of `message`: uncompressed, its length. */
const prefixOf = (message: Buffer) => Buffer.from([0, ...[24, 16, 8, 0].map((s) => (message.length >>> s) & 0xff)]);
const frame = (message: Buffer) => Buffer.concat([prefixOf(message), message]);

const documentOf = (n: number) => 'é{"x"'.repeat(Math.ceil(n / 6)).slice(0, n);

describe('FramedFieldWriter', () => {
  // 300 kB passes the first buffer; 3 MB is written in pieces as the export writes it.
  it.each([0, 1, 127, 128, 300, 70_000, 300_000, 3_000_000])('frames a %i-character document exactly as protobufjs encodes it, behind the gRPC prefix', async (n) => {
    const text = documentOf(n);
    const writer = new FramedFieldWriter(1);
    for (let i = 0; i < text.length; i += 4999) writer.write(text.slice(i, i + 4999));
    const framed = await writer.finish();
    const expected = plain.ExportDatabase.responseSerialize({ exported_json: text });
    expect(framed.framed.equals(frame(expected))).toBe(true);
    expect(plain.ExportDatabase.responseDeserialize(framed.bytes).exported_json).toBe(text);
  });
});

describe('frameBytesField', () => {
  it.each([0, 200, 3_000_000])('frames %i bytes in pieces as protobufjs encodes them', async (n) => {
    const bytes = Buffer.from(documentOf(n));
    const cut = Math.floor(bytes.length / 3);
    const framed = await frameBytesField(1, [bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(framed.framed.equals(frame(plain.ExportDatabase.responseSerialize({ exported_json: bytes.toString() })))).toBe(true);
  });
});

describe('PreallocatingDecoder', () => {
  const messages = [Buffer.alloc(0), Buffer.from('a'), Buffer.alloc(70_000, 7), Buffer.from('tail')];
  const stream = Buffer.concat(messages.map(frame));

  it.each([1, 3, 5, 6, 1000, 16_384, stream.length])('gives each whole message, prefix included, whatever the chunks (%i bytes)', (size) => {
    const decoder = new PreallocatingDecoder(-1);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...decoder.write(stream.subarray(i, i + size)));
    expect(out.map((b) => b.toString('hex'))).toEqual(messages.map((m) => frame(m).toString('hex')));
  });

  it('refuses a message over its limit from the prefix, as grpc-js does', () => {
    const decoder = new PreallocatingDecoder(100);
    expect(() => decoder.write(prefixOf(Buffer.alloc(101)))).toThrow('Received message larger than max (101 vs 100)');
  });
});

describe('passLargeMessages', () => {
  const definition = loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS);
  passLargeMessages(definition);
  const methods = methodsOf(definition);

  it('hands ImportDatabase its request undecoded, and decodes every other request', () => {
    const bytes = plain.ImportDatabase.requestSerialize({ imported_json: '{}' });
    const req = methods.ImportDatabase.requestDeserialize(bytes);
    expect(req).toBeInstanceOf(RawRequest);
    expect((req as RawRequest).bytes).toBe(bytes);
    expect(methods.GetDataset.requestDeserialize(plain.GetDataset.requestSerialize({ id: 'd' }))).toMatchObject({ id: 'd' });
  });

  it('serializes a FramedResponse as its message bytes', () => {
    const message = plain.ExportDatabase.responseSerialize({ exported_json: 'x' });
    expect(methods.ExportDatabase.responseSerialize(new FramedResponse(frame(message))).equals(message)).toBe(true);
    expect(methods.ExportDatabase.responseSerialize({ exported_json: 'x' }).equals(message)).toBe(true);
  });
});

describe('largeMessageCall', () => {
  const baseCall = () => ({
    decoder: { write: () => [], maxReadMessageLength: 64 },
    serializeMessage: (v: unknown) => frame(plain.ExportDatabase.responseSerialize(v)),
  });

  it('gives ImportDatabase the preallocating decoder (keeping its limit) and ExportDatabase the framed pass-through', () => {
    const imp = baseCall();
    expect(largeMessageCall(imp, 'ImportDatabase')).toEqual({ decoder: true, framed: false });
    expect(imp.decoder).toBeInstanceOf(PreallocatingDecoder);
    expect(imp.decoder.maxReadMessageLength).toBe(64);
    const exp = baseCall();
    expect(largeMessageCall(exp, 'ExportDatabase')).toEqual({ decoder: false, framed: true });
    const framed = frame(Buffer.from([0x0a, 0x01, 0x41]));
    expect(exp.serializeMessage(new FramedResponse(framed))).toBe(framed);
    expect(exp.serializeMessage({ exported_json: 'A' }).equals(framed)).toBe(true);
    const other = baseCall();
    expect(largeMessageCall(other, 'ListDatasets')).toEqual({ decoder: false, framed: false });
  });

  it('leaves a call without those internals as it is', () => {
    expect(largeMessageCall({}, 'ImportDatabase')).toEqual({ decoder: false, framed: false });
    expect(largeMessageCall({}, 'ExportDatabase')).toEqual({ decoder: false, framed: false });
  });
});

describe('on a grpc-js server', () => {
  it('the import handler gets the request bytes undecoded, gathered by the preallocating decoder; the export answer is sent as framed', async () => {
    const definition = loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS);
    passLargeMessages(definition);
    const installed: Record<string, unknown> = {};
    const server = new grpc.Server({
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      interceptors: [
        (method: grpc.ServerMethodDefinition<unknown, unknown>, call: grpc.ServerInterceptingCallInterface) => {
          const name = method.path.slice(method.path.lastIndexOf('/') + 1);
          installed[name] = largeMessageCall(call, name);
          return new grpc.ServerInterceptingCall(call);
        },
      ],
    });
    const service = (grpc.loadPackageDefinition(definition) as unknown as Record<string, Record<string, { service: grpc.ServiceDefinition }>>)[PROTO_PACKAGE][SERVICE_NAME].service;
    let received: unknown;
    const document = documentOf(2_000_000);
    server.addService(service, {
      ImportDatabase: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        received = call.request;
        cb(null, {});
      },
      ExportDatabase: async (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
        const writer = new FramedFieldWriter(1);
        writer.write(document);
        cb(null, await writer.finish());
      },
    });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    const Client = grpc.makeGenericClientConstructor(service, SERVICE_NAME);
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 }) as unknown as Record<
      string,
      (req: unknown, cb: (e: Error | null, r: unknown) => void) => void
    >;
    const call = (method: string, req: unknown) => new Promise<unknown>((resolve, reject) => client[method](req, (e, r) => (e ? reject(e) : resolve(r))));
    try {
      await call('ImportDatabase', { imported_json: document });
      expect(installed.ImportDatabase).toEqual({ decoder: true, framed: false });
      expect(received).toBeInstanceOf(RawRequest);
      expect((received as RawRequest).bytes.equals(plain.ImportDatabase.requestSerialize({ imported_json: document }))).toBe(true);
      expect(await call('ExportDatabase', {})).toMatchObject({ exported_json: document });
      expect(installed.ExportDatabase).toEqual({ decoder: false, framed: true });
    } finally {
      (client as unknown as grpc.Client).close();
      server.forceShutdown();
    }
  }, 60_000);
});
