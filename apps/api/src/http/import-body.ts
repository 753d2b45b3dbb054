import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The body of POST /api/database/import as it arrived: its chunks, never
 * joined, decoded or parsed here. The import's child process decodes it
 * (database/import-request.ts): joining, decoding and handing on a 36 MB
 * document as one string held the server's event loop for hundreds of
 * milliseconds.
 */
export class ImportBody {
  constructor(
    readonly chunks: Buffer[],
    readonly bytes: number,
    /** The request's charset (utf-8 when it names none). */
    readonly charset: string,
  ) {}
}

/** A body refusal in body-parser's shape, answered by setup-http.ts's error handler as body-parser's are. */
const refusal = (status: number, type: string, message: string) => Object.assign(new Error(message), { status, statusCode: status, type, expose: true });

const DECOMPRESSORS: Record<string, () => zlib.Inflate | zlib.Gunzip | zlib.BrotliDecompress> = {
  deflate: () => zlib.createInflate(),
  gzip: () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * Reads the body of a request that `matches` into an ImportBody on
 * `req.body`, with body-parser's rules and refusals: at most `limit` bytes
 * once inflated (413 entity.too.large, as soon as it passes), gzip, deflate or
 * br (415 encoding.unsupported), a charset TextDecoder knows (415
 * charset.unsupported), a request cut short (400 request.aborted). No body:
 * `req.body` stays undefined.
 */
export function importBodyReader(matches: (req: IncomingMessage) => boolean, limit: number) {
  return (req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (e?: unknown) => void) => {
    if (!matches(req)) return next();
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (!hasBody) return next();
    const charset = charsetOf(req.headers['content-type']);
    try {
      new TextDecoder(charset);
    } catch {
      return next(refusal(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`));
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && !DECOMPRESSORS[encoding]) return next(refusal(415, 'encoding.unsupported', `unsupported content encoding "${encoding}"`));
    const declared = Number(req.headers['content-length']);
    if (encoding === 'identity' && declared > limit) return refuse(req, next, refusal(413, 'entity.too.large', 'request entity too large'));
    const decompressor = encoding === 'identity' ? undefined : DECOMPRESSORS[encoding]();
    const stream: Readable = decompressor ? req.pipe(decompressor) : req;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (e?: unknown) => {
      if (done) return;
      done = true;
      stream.removeListener('data', onData);
      if (decompressor) {
        req.unpipe(decompressor);
        decompressor.destroy();
      }
      if (e) return refuse(req, next, e);
      req.body = new ImportBody(chunks, bytes, charset);
      next();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) return finish(refusal(413, 'entity.too.large', 'request entity too large'));
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => finish());
    stream.once('error', (e: Error) => finish(stream === req ? refusal(400, 'request.aborted', e.message) : refusal(400, 'encoding.failed', e.message)));
    req.once('aborted', () => finish(refusal(400, 'request.aborted', 'request aborted')));
  };
}

/** Refuses once the rest of the body has been read and dropped (as body-parser does), so the answer reaches the client. */
function refuse(req: IncomingMessage, next: (e?: unknown) => void, e: unknown): void {
  if (req.complete || req.destroyed) return next(e);
  let once = false;
  const answer = () => {
    if (!once) next(e);
    once = true;
  };
  req.resume();
  req.once('end', answer);
  req.once('close', answer);
}

function charsetOf(contentType: string | undefined): string {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return (m?.[1] ?? m?.[2] ?? 'utf-8').toLowerCase() || 'utf-8';
}
