/**
 * The stable error code (`DATASET.NOT_FOUND`) reaches clients of both
 * transports, so they can branch on it instead of on the wording: gRPC in
 * the `fts-error-code` trailer, HTTP as the error body's `reason`.
 */
import * as grpc from '@grpc/grpc-js';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { packageDefinition } from './support/grpc-client.js';

jest.setTimeout(120_000);

let srv: ServerHandle;

beforeAll(async () => {
  srv = await startServer({ seed: false });
});
afterAll(async () => {
  await srv?.stop();
});

type Unary = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void) => void;

/** One unary call; resolves with its error (status, details and trailing metadata). */
function failingCall(method: string, req: object): Promise<grpc.ServiceError> {
  const pkg = grpc.loadPackageDefinition(packageDefinition()) as unknown as {
    fine_tuning_studio: { FineTuningStudio: grpc.ServiceClientConstructor };
  };
  const client = new pkg.fine_tuning_studio.FineTuningStudio(srv.grpcAddress, grpc.credentials.createInsecure());
  const fn = (client as unknown as Record<string, Unary>)[method];
  return new Promise((resolve, reject) => {
    fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err) => {
      client.close();
      if (err) resolve(err);
      else reject(new Error(`${method} succeeded`));
    });
  });
}

describe('stable error codes', () => {
  it('gRPC: the status, the sentence and the code in the fts-error-code trailer', async () => {
    const err = await failingCall('GetDataset', { id: 'no-such-dataset' });
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(err.details).toBe("Dataset with ID 'no-such-dataset' does not exist.");
    expect(err.metadata.get('fts-error-code')).toEqual(['DATASET.NOT_FOUND']);
  });

  it('gRPC: a rule of a command carries its code too', async () => {
    const err = await failingCall('RemovePrompt', { id: 'no-such-prompt' });
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(err.metadata.get('fts-error-code')).toEqual(['PROMPT.NOT_FOUND']);
  });

  it('HTTP: the status, and the code as the body’s reason next to the status name and the sentence', async () => {
    const res = await fetch(`${srv.httpUrl}/api/datasets/no-such-dataset`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'NOT_FOUND', reason: 'DATASET.NOT_FOUND', message: "Dataset with ID 'no-such-dataset' does not exist." },
    });
  });
});
