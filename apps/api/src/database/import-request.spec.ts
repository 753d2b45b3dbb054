import { describe, expect, it } from '@jest/globals';
import loader from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import { requestFingerprint } from '../platform/event-store/request-fingerprint.js';
import { GRPC_LOADER_OPTIONS } from '../platform/transport/grpc-loader-options.js';
import { errorOf } from '../../test/support/errors.js';
import { decodeImport } from './import-request.js';

const method = (loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS)[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as Record<string, { requestSerialize: (v: unknown) => Buffer; requestDeserialize: (b: Buffer) => unknown }>).ImportDatabase;
const call: CallContext = { transport: 'grpc', actor: 'admin' };

describe('decodeImport (in the import child process)', () => {
  it('decodes an ImportDatabaseRequest into the source the handler used to build', () => {
    const bytes = method.requestSerialize({ imported_json: '{"models": {}}' });
    expect(decodeImport({ kind: 'grpc', bytes }, call)).toEqual({ source: { json: '{"models": {}}', path: undefined }, call });
    expect(decodeImport({ kind: 'grpc', bytes: method.requestSerialize({ imported_json_path: 'export.json' }) }, call).source).toEqual({ json: undefined, path: 'export.json' });
  });

  it('with an idempotency key, fingerprints the decoded request as callFromGrpc does', () => {
    const request = { imported_json: '{}', imported_json_path: '' };
    const bytes = method.requestSerialize(request);
    const { call: decodedCall } = decodeImport({ kind: 'grpc', bytes }, { ...call, idempotencyKey: 'k' });
    expect(decodedCall).toEqual({ ...call, idempotencyKey: 'k', requestHash: requestFingerprint('grpc', method.requestDeserialize(bytes)) });
  });

  it('refuses bytes that are not an ImportDatabaseRequest as the server refuses any undecodable request', () => {
    expect(errorOf(() => decodeImport({ kind: 'grpc', bytes: Buffer.from([0xff, 0xff, 0xff]) }, call))).toMatchObject({
      kind: 'invalid_argument',
      message: 'The request is not a valid ImportDatabaseRequest message: its bytes could not be decoded as protobuf.',
    });
  });

  it('decodes an HTTP body in its charset (a BOM dropped), and refuses an empty one', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"models": "é"}')]);
    expect(decodeImport({ kind: 'http', chunks: [body.subarray(0, 5), body.subarray(5)], charset: 'utf-8', url: '/api/database/import' }, call).source).toEqual({ json: '{"models": "é"}' });
    expect(decodeImport({ kind: 'http', chunks: [Buffer.from('{"é": 1}', 'latin1')], charset: 'latin1', url: '/api/database/import' }, call).source).toEqual({ json: '{"é": 1}' });
    expect(errorOf(() => decodeImport({ kind: 'http', chunks: [Buffer.from(' \n ')], charset: 'utf-8', url: '/api/database/import' }, call))).toMatchObject({ kind: 'invalid_argument', code: 'HTTP.BODY_EMPTY' });
  });

  it('fingerprints an HTTP import with an idempotency key as callFromHttp fingerprints the text body', () => {
    const url = '/api/database/import';
    const { call: c } = decodeImport({ kind: 'http', chunks: [Buffer.from('{"models": {}}')], charset: 'utf-8', url }, { transport: 'http', idempotencyKey: 'k' });
    expect(c.requestHash).toBe(requestFingerprint('http', { method: 'POST', url, body: '{"models": {}}' }));
  });
});
